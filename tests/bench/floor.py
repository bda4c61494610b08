"""The floors the list benchmarks compare against, measured in the same run: a trivial authenticated DRF view
(the API's authentication, one empty list) and a trivial logged-in page (the base layout, nothing listed).
The benches serve them beside the real routes (``ROOT_URLCONF`` = this module)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as site

FLOOR_API = "/bench-floor/api"
FLOOR_PAGE = "/bench-floor/page"


class FloorApi(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"items": []})


@login_required
def floor_page(request):
    return render(request, "base.html", {})


urlpatterns = [
    path(FLOOR_API.lstrip("/"), FloorApi.as_view()),
    path(FLOOR_PAGE.lstrip("/"), floor_page),
    *site,
]
