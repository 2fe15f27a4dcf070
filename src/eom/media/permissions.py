"""Who reads and writes media monitoring. Pages and API ask these functions.

Media monitoring is national: the core team (the media analyst is of the core team) and
administrators write (outlets, periods and topics in the admin; items on the page, through the
import and the API); analysts read everything; coordinators, observers and everyone else
nothing. No field of an item is confidential: a monitor's note is an open remark.
"""

from __future__ import annotations

from eom.missions.models import Access, Mission
from eom.missions.permissions import access_of

WRITERS = {Access.CORE_TEAM, Access.ADMINISTRATOR}
READERS = WRITERS | {Access.ANALYST}


def can_read_media(user, mission: Mission | None = None) -> bool:
    return access_of(user, mission) in READERS


def can_write_media(user, mission: Mission | None = None) -> bool:
    return access_of(user, mission) in WRITERS
