from eom.missions import permissions
from eom.missions.admin_site import ADMIN_READERS
from eom.missions.services import current_mission


def mission(request):
    """The mission the pages show, and what the reader may do, for every template."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "mission": current_mission(),
        "access": permissions.access_of(user),
        "can_manage_people": permissions.can_manage_people(user),
        "can_create_meeting": permissions.can_create_meeting(user),
        "can_use_admin": permissions.access_of(user) in ADMIN_READERS,
    }
