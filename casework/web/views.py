from django.http import HttpRequest, HttpResponse


def caseload(request: HttpRequest) -> HttpResponse:
    return HttpResponse("My caseload")
