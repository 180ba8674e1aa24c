"""Viewsets: every queryset goes through govinspect.accounts.scope; out of scope is 404."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from govinspect.accounts import scope
from govinspect.api import serializers as s
from govinspect.api.pagination import db_int
from govinspect.errors import GovinspectError
from govinspect.inspections.models import Finding
from govinspect.rectification import services as rect
from govinspect.rectification.models import ACTIVE
from govinspect.rectification.report import write_rectification_report
from govinspect.web.lexicons import engine_config
from govinspect.web.review import review_findings
from govinspect.web.views.common import scoped_findings, scoped_inspections, scoped_tasks, scoped_verdicts
from govinspect.web.views.rectify import can_claim, can_recheck

Q_PARAM = OpenApiParameter("q", OpenApiTypes.STR, description="名称或标识码")
REGION_PARAM = OpenApiParameter("region", OpenApiTypes.STR, description="行政区划代码（含下级）")


def _in_region(qs: QuerySet, user, code: str | None) -> QuerySet:  # type: ignore[no-untyped-def]
    if not code:
        return qs
    region = scope.visible_regions(user).filter(code=code).first()
    return qs.filter(region__code__startswith=scope.region_prefix(region)) if region else qs.none()


class SiteViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.SiteSerializer

    @extend_schema(parameters=[Q_PARAM, REGION_PARAM, OpenApiParameter("category", OpenApiTypes.STR)])
    def list(self, request: Request, *args, **kwargs) -> Response:  # type: ignore[no-untyped-def]
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        qs = scope.visible_sites(self.request.user).select_related("region", "organizer").order_by("site_code")
        p = self.request.query_params
        if p.get("q"):
            qs = qs.filter(Q(name__icontains=p["q"]) | Q(site_code__icontains=p["q"]))
        if p.get("category"):
            qs = qs.filter(category=p["category"])
        return _in_region(qs, self.request.user, p.get("region"))


class AccountViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.AccountSerializer

    @extend_schema(parameters=[Q_PARAM, REGION_PARAM])
    def list(self, request: Request, *args, **kwargs) -> Response:  # type: ignore[no-untyped-def]
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        qs = scope.visible_accounts(self.request.user).select_related("region", "organizer").order_by("id")
        p = self.request.query_params
        if p.get("q"):
            qs = qs.filter(name__icontains=p["q"])
        return _in_region(qs, self.request.user, p.get("region"))


class InspectionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.InspectionSerializer

    def get_queryset(self) -> QuerySet:
        return scoped_inspections(self.request.user).order_by("-created_at")

    @extend_schema(responses=s.VerdictSerializer(many=True))
    @action(detail=True, methods=["get"])
    def verdicts(self, request: Request, pk: str | None = None) -> Response:
        inspection = self.get_object()
        qs = scoped_verdicts(request.user).filter(inspection=inspection).order_by("id")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.VerdictSerializer(page, many=True).data)


class FindingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.FindingSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=Finding.Review.values),
            OpenApiParameter("check", OpenApiTypes.STR),
            OpenApiParameter("site", OpenApiTypes.INT),
        ]
    )
    def list(self, request: Request, *args, **kwargs) -> Response:  # type: ignore[no-untyped-def]
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        qs = scoped_findings(self.request.user).order_by("id")
        p = self.request.query_params
        if p.get("status"):
            qs = qs.filter(status=p["status"])
        if p.get("check"):
            qs = qs.filter(check_id=p["check"])
        if p.get("site"):
            site = db_int(p["site"])
            qs = qs.filter(site_id=site) if site is not None else qs.none()
        return qs

    @extend_schema(request=s.ReviewSerializer, responses=s.FindingSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        finding = self.get_object()
        if not scope.can_review(request.user):
            raise PermissionDenied("无权审核")
        body = s.ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            review_findings([finding], body.validated_data["status"], body.validated_data["reason"], request.user)
        except GovinspectError as exc:
            raise ValidationError({"reason": [str(exc)]}) from exc
        finding.refresh_from_db()
        return Response(s.FindingSerializer(finding).data)


class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.TaskSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=[*ACTIVE, "verified_closed"]),
            OpenApiParameter("overdue", OpenApiTypes.BOOL),
        ]
    )
    def list(self, request: Request, *args, **kwargs) -> Response:  # type: ignore[no-untyped-def]
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        qs = scoped_tasks(self.request.user).order_by("deadline", "id")
        p = self.request.query_params
        if p.get("status"):
            qs = qs.filter(status=p["status"])
        if p.get("overdue") in ("true", "1"):
            qs = rect.overdue(qs)
        return qs

    @extend_schema(request=s.FixedSerializer, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def fixed(self, request: Request, pk: str | None = None) -> Response:
        task = self.get_object()
        if not can_claim(request.user, task):
            raise PermissionDenied("无权报告整改")
        body = s.FixedSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            rect.mark_fixed(task, request.user, body.validated_data["note"])
        except GovinspectError as exc:
            raise ValidationError({"note": [str(exc)]}) from exc
        return Response(s.TaskSerializer(task).data)

    @extend_schema(request=None, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def recheck(self, request: Request, pk: str | None = None) -> Response:
        task = self.get_object()
        if not can_recheck(request.user):
            raise PermissionDenied("无权发起复核")
        try:
            rect.recheck(task, request.user, config=engine_config())
        except GovinspectError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(s.TaskSerializer(task).data)


class ReportViewSet(viewsets.GenericViewSet):
    """Downloads: the notice (docx or its xlsx attachment) of an inspection, the rectification report."""

    serializer_class = s.InspectionSerializer

    def get_queryset(self) -> QuerySet:
        return scoped_inspections(self.request.user)

    @extend_schema(
        parameters=[OpenApiParameter("part", OpenApiTypes.STR, enum=["docx", "xlsx"])],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def notice(self, request: Request, pk: str | None = None) -> FileResponse:
        if not scope.is_province_admin(request.user):
            raise PermissionDenied("通报仅省级管理员可下载")
        inspection = self.get_object()
        from govinspect.reports.notice import write_notice

        files = write_notice(inspection, Path(settings.DATA_DIR) / "reports")
        path = files.xlsx if request.query_params.get("part") == "xlsx" else files.docx
        return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"])
    def rectification(self, request: Request) -> FileResponse:
        if not (scope.can_review(request.user) or scope.can_edit_register(request.user)):
            raise PermissionDenied("无权下载整改报表")
        buf = io.BytesIO()
        write_rectification_report(scoped_tasks(request.user), buf)
        buf.seek(0)
        return FileResponse(buf, as_attachment=True, filename="整改情况.xlsx")
