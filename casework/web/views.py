"""The one page of the layout's own: where each role starts (issue 9, D21).

After signing in, and from the brand link, each role lands on the page it works from rather
than on an empty caseload. The layout knows every app's pages by URL name only.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from casework.accounts.models import Role

# Practitioners work from their caseload (Today is one click away); supervisors and managers
# from their teams' caseloads; the data-protection officer from the data-protection home; the
# administrator from the organisation's configuration.
LANDING = {
    Role.PRACTITIONER: "cases:caseload",
    Role.SUPERVISOR: "cases:team",
    Role.MANAGER: "cases:team",
    Role.DATA_PROTECTION: "governance:home",
    Role.ADMIN: "administration:staff",
}


@require_GET
def start(request: HttpRequest) -> HttpResponseRedirect:
    role = getattr(request.user, "role", Role.PRACTITIONER)
    return redirect(LANDING.get(role, "cases:caseload"))
