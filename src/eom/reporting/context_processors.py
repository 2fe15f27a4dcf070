from eom.reporting.permissions import can_view_situation_room


def situation_room(request):
    """Whether the menu and the overview offer the situation room to the reader."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"can_view_situation_room": can_view_situation_room(user)}
