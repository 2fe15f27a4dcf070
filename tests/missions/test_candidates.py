"""Candidates of a contest: on a party's list or self-nominated in a district."""


def test_candidate_belongs_to_a_party_or_stands_alone(mission, tree):
    import datetime as dt

    from eom.missions.models import Candidate, Contest, Election, Party

    election = Election.objects.create(mission=mission, name="Mazhilis", date=dt.date(2023, 3, 19))
    contest = Contest.objects.create(election=election, kind="single_member_district",
                                     name="Districts", seats=2)
    party = Party.objects.create(election=election, code="P", name_en="Party", registration_order=1)
    Candidate.objects.create(contest=contest, full_name="A", party=party, district=tree["D1"])
    Candidate.objects.create(contest=contest, full_name="B", district=tree["D1"])
    assert [(c.full_name, c.party_id is None) for c in tree["D1"].candidates.all()] == [
        ("A", False), ("B", True),
    ]
