import time

from django.core.management.base import BaseCommand, CommandError

from eom.demo.simulator import simulate_election_day
from eom.missions.commands import command_mission


class Command(BaseCommand):
    help = "Send a simulated election day of checklists through the HTTP API (eom simulate election-day)."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["election-day"])
        parser.add_argument("--teams", type=int, default=None, help="how many STO teams (all)")
        parser.add_argument("--seed", type=int, default=20230319)
        parser.add_argument("--url", help="a running eom server (default: one started here)")
        parser.add_argument("--workers", type=int, default=8, help="concurrent clients")
        parser.add_argument("--mission", help="mission code (default: the current mission)")

    def handle(self, *args, what, teams, seed, url, workers, mission, **options):
        target = command_mission(mission)
        if not target.forms.exists():
            raise CommandError("the mission has no checklists; load them with eom forms load")
        started = time.perf_counter()
        plan, outcome = simulate_election_day(target, teams=teams, seed=seed, url=url,
                                              workers=workers)
        seconds = time.perf_counter() - started
        by_form: dict[str, int] = {}
        for report in plan.reports:
            by_form[report.form_id] = by_form.get(report.form_id, 0) + 1
        self.stdout.write(
            f"planned {len(plan.reports):,} reports ("
            + ", ".join(f"{k} {v}" for k, v in sorted(by_form.items()))
            + f"), {len(plan.replays)} duplicate replays, "
            f"{sum(r.late for r in plan.reports)} late, {plan.arithmetic_failures} protocols "
            "that do not add up"
        )
        self.stdout.write(
            f"sent {outcome.sent:,} in {seconds:.1f} s: stored {outcome.stored:,} new, "
            f"{outcome.replayed:,} already stored, "
            f"{sum(n for s, n in outcome.statuses.items() if s >= 300)} refused"
        )
        for error in outcome.errors:
            self.stderr.write(f"  {error}")
        if any(status >= 300 for status in outcome.statuses):
            raise CommandError("some reports were refused")
