"""Django's own texts that eom translates in its catalogue (src/eom/locale), because Django's
Kazakh catalogue lacks them (the admin, the sign-in's password rules) or writes them otherwise
(the months in lower case within a Kazakh date: "2023 жылғы 19 наурыз").

Nothing calls this module: it names the texts so that `make messages` (Django's
makemessages, which drops from the catalogue every text it no longer finds in eom's sources)
keeps their translations. A text added here must be copied exactly as Django writes it.
"""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

DJANGO_TEXTS = [
    gettext_noop("View site"),  # contrib/admin
    gettext_noop("Recent actions"),  # contrib/admin
    gettext_noop("My actions"),  # contrib/admin
    gettext_noop("Skip to main content"),  # contrib/admin
    gettext_noop("Add link"),  # contrib/admin
    gettext_noop("Change or view list link"),  # contrib/admin
    gettext_noop("Models in the %(name)s application"),  # contrib/admin
    gettext_noop("Model name"),  # contrib/admin
    gettext_noop("Filter navigation items"),  # contrib/admin
    gettext_noop("Start typing to filter…"),  # contrib/admin
    gettext_noop("Toggle navigation"),  # contrib/admin
    gettext_noop("Sidebar"),  # contrib/admin
    gettext_noop("Breadcrumbs"),  # contrib/admin
    gettext_noop("View selected %(model)s"),  # contrib/admin
    gettext_noop("Change selected %(model)s"),  # contrib/admin
    gettext_noop("Delete selected %(model)s"),  # contrib/admin
    gettext_noop("Add another %(model)s"),  # contrib/admin
    gettext_noop("View"),  # contrib/admin
    gettext_noop("View %s"),  # contrib/admin
    gettext_noop("0 of %(cnt)s selected"),  # contrib/admin
    gettext_noop("Select this object for an action - {}"),  # contrib/admin
    gettext_noop("Select all objects on this page for an action"),  # contrib/admin
    gettext_noop("Toggle theme (current theme: auto)"),  # contrib/admin
    gettext_noop("Toggle theme (current theme: light)"),  # contrib/admin
    gettext_noop("Toggle theme (current theme: dark)"),  # contrib/admin
    gettext_noop("Clear all filters"),  # contrib/admin
    gettext_noop("Show counts"),  # contrib/admin
    gettext_noop("Hide counts"),  # contrib/admin
    gettext_noop("Remove from sorting"),  # contrib/admin
    gettext_noop("Sorting priority: %(priority_number)s"),  # contrib/admin
    gettext_noop("Toggle sorting"),  # contrib/admin
    gettext_noop("Empty"),  # contrib/admin
    gettext_noop("Not empty"),  # contrib/admin
    gettext_noop("Close"),  # contrib/admin
    gettext_noop("Save and view"),  # contrib/admin
    gettext_noop("Summary"),  # contrib/admin
    gettext_noop("Objects"),  # contrib/admin
    gettext_noop("Yes, I’m sure"),  # contrib/admin
    gettext_noop("No, take me back"),  # contrib/admin
    gettext_noop("Currently:"),  # contrib/admin
    gettext_noop("Change:"),  # contrib/admin
    gettext_noop("Error:"),  # contrib/admin
    gettext_noop("Added:"),  # contrib/admin
    gettext_noop("Changed:"),  # contrib/admin
    gettext_noop("Deleted:"),  # contrib/admin
    gettext_noop("Please correct the error below."),  # contrib/admin
    gettext_noop("You don’t have permission to view or edit anything."),  # contrib/admin
    gettext_noop("The {name} “{obj}” was added successfully."),  # contrib/admin
    gettext_noop("The {name} “{obj}” was changed successfully."),  # contrib/admin
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),  # contrib/admin
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),  # contrib/admin
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),  # contrib/admin
    gettext_noop("You may edit it again below."),  # contrib/admin
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),  # contrib/admin
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),  # contrib/admin
    gettext_noop("This object doesn’t have a change history. It probably wasn’t added via this admin site."),  # contrib/admin
    gettext_noop("Hold down “Control”, or “Command” on a Mac, to select more than one."),  # contrib/admin
    gettext_noop("%(app)s administration"),  # contrib/admin
    gettext_noop("Administration"),  # contrib/admin
    gettext_noop("Added {name} “{object}”."),  # contrib/admin
    gettext_noop("Changed {fields} for {name} “{object}”."),  # contrib/admin
    gettext_noop("Changed {fields}."),  # contrib/admin
    gettext_noop("Deleted {name} “{object}”."),  # contrib/admin
    gettext_noop("Added."),  # contrib/admin
    gettext_noop("Added “%(object)s”."),  # contrib/admin
    gettext_noop("Changed “%(object)s” — %(changes)s"),  # contrib/admin
    gettext_noop("Deleted “%(object)s.”"),  # contrib/admin
    gettext_noop("Addition"),  # contrib/admin
    gettext_noop("Deletion"),  # contrib/admin
    gettext_noop("content type"),  # contrib/admin
    gettext_noop("entry"),  # contrib/admin
    gettext_noop("Authentication and Authorization"),  # contrib/auth
    gettext_noop("Select %s to view"),  # contrib/admin
    gettext_noop("email address"),  # contrib/auth
    gettext_noop("Enabled"),  # contrib/auth
    gettext_noop("Disabled"),  # contrib/auth
    gettext_noop("Password-based authentication"),  # contrib/auth
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),  # contrib/admin
    gettext_noop("Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only."),  # contrib/auth
    gettext_noop("Your password can’t be too similar to your other personal information."),  # contrib/auth
    ngettext_lazy("Your password must contain at least %(min_length)d character.", "Your password must contain at least %(min_length)d characters.", 1),  # contrib/auth
    gettext_noop("Your password can’t be a commonly used password."),  # contrib/auth
    gettext_noop("Your password can’t be entirely numeric."),  # contrib/auth
    gettext_noop("Enter the same password as before, for verification."),  # contrib/auth
    gettext_noop("Please enter your old password, for security’s sake, and then enter your new password twice so we can verify you typed it in correctly."),  # contrib/admin
    gettext_noop("Whether the user will be able to authenticate using a password or not. If disabled, they may still be able to authenticate using other backends, such as Single Sign-On or LDAP."),  # contrib/auth
    pgettext_lazy("alt. month", "January"),  # conf
    pgettext_lazy("alt. month", "February"),  # conf
    pgettext_lazy("alt. month", "March"),  # conf
    pgettext_lazy("alt. month", "April"),  # conf
    pgettext_lazy("alt. month", "May"),  # conf
    pgettext_lazy("alt. month", "June"),  # conf
    pgettext_lazy("alt. month", "July"),  # conf
    pgettext_lazy("alt. month", "August"),  # conf
    pgettext_lazy("alt. month", "September"),  # conf
    pgettext_lazy("alt. month", "October"),  # conf
    pgettext_lazy("alt. month", "November"),  # conf
    pgettext_lazy("alt. month", "December"),  # conf
]
