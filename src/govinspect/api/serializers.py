from __future__ import annotations

from rest_framework import serializers

from govinspect.inspections.models import Finding, Inspection, Verdict
from govinspect.rectification.models import Task
from govinspect.registry.models import Account, Site


class SiteSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)
    organizer_name = serializers.CharField(source="organizer.name", read_only=True)

    class Meta:
        model = Site
        fields = ["id", "site_code", "name", "home_url", "category", "status", "region_code", "organizer_name"]


class AccountSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)
    organizer_name = serializers.CharField(source="organizer.name", read_only=True)

    class Meta:
        model = Account
        fields = ["id", "platform", "name", "platform_id", "status", "region_code", "organizer_name"]


class InspectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Inspection
        fields = [
            "id",
            "period",
            "kind",
            "assess",
            "as_of",
            "status",
            "sites_total",
            "sites_done",
            "accounts_total",
            "accounts_done",
            "findings_seen",
            "created_at",
            "finished_at",
        ]


class VerdictSerializer(serializers.ModelSerializer):
    class Meta:
        model = Verdict
        fields = ["id", "inspection", "site", "account", "passed", "vetoes", "score", "deductions", "bonus", "final"]


class FindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = [
            "id",
            "fingerprint",
            "site",
            "account",
            "check_id",
            "severity",
            "indicator",
            "url",
            "target",
            "evidence",
            "detail",
            "status",
            "reason",
            "reviewed_at",
            "first_seen",
            "last_seen",
        ]


class ReviewSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[Finding.Review.CONFIRMED, Finding.Review.DISMISSED])
    reason = serializers.CharField(allow_blank=True, default="", max_length=2000)


class TaskSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "finding",
            "organizer",
            "region",
            "deadline",
            "status",
            "note",
            "recheck",
            "created_at",
            "fixed_at",
            "closed_at",
            "overdue",
        ]

    def get_overdue(self, obj: Task) -> bool:
        return obj.is_overdue()


class FixedSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000)
