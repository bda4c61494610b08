"""The floors the list benchmarks compare against, measured in the same run: a trivial authenticated DRF view
(the API's authentication, one empty list) and a trivial logged-in page (the base layout, nothing listed);
and the floor of the POST benchmark: a trivial authenticated insert (the API's authentication and JSON
parsing, one row written in a transaction into ``bench_floor_insert``, a table the benchmark creates).
The benches serve them beside the real routes (``ROOT_URLCONF`` = this module)."""

import json

from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.shortcuts import render
from django.urls import path
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as site

FLOOR_API = "/bench-floor/api"
FLOOR_PAGE = "/bench-floor/page"
FLOOR_INSERT = "/bench-floor/insert"
FLOOR_TABLE = "bench_floor_insert"


class FloorApi(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"items": []})


class FloorInsertApi(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {FLOOR_TABLE} (body) VALUES (%s) RETURNING id",  # noqa: S608 (a constant)
                [json.dumps(request.data)],
            )
            (row_id,) = cursor.fetchone()
        return Response({"id": row_id}, status=202)


@login_required
def floor_page(request):
    return render(request, "base.html", {})


urlpatterns = [
    path(FLOOR_API.lstrip("/"), FloorApi.as_view()),
    path(FLOOR_PAGE.lstrip("/"), floor_page),
    path(FLOOR_INSERT.lstrip("/"), FloorInsertApi.as_view()),
    *site,
]
