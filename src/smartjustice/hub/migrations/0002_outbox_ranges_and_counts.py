"""Outbox entries cover a range of record ids (one per ingest batch, not one per record); monthly counts of
records gathered and delivered replace scans for the statistics page; the record table keeps only the indexes
reads use and no content-digest column (the dedup key is the version consumers see)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Now, TruncMonth


def outbox_rows_to_ranges(apps, schema_editor):
    OutboxEntry = apps.get_model("hub", "OutboxEntry")
    for entry in OutboxEntry.objects.select_related("record").iterator():
        entry.first_record_id = entry.last_record_id = entry.record_id
        entry.next_record_id = entry.last_record_id + 1 if entry.dispatched_at else entry.record_id
        entry.dataset_id = entry.record.dataset_id
        entry.source = entry.record.source
        entry.save(update_fields=["first_record_id", "last_record_id", "next_record_id", "dataset", "source"])


def count_fanned_out_records(apps, schema_editor):
    """Records already fanned out are counted now; the ones still waiting are counted by fan-out."""
    HubRecord = apps.get_model("hub", "HubRecord")
    OutboxEntry = apps.get_model("hub", "OutboxEntry")
    RecordCount = apps.get_model("hub", "RecordCount")
    waiting = set(OutboxEntry.objects.filter(dispatched_at__isnull=True).values_list("first_record_id", flat=True))
    rows = (
        HubRecord.objects.exclude(id__in=waiting)
        .annotate(month=TruncMonth("created_at"))
        .values("dataset_id", "jurisdiction_code", "month")
        .annotate(n=Count("id"))
    )
    RecordCount.objects.bulk_create(
        [
            RecordCount(
                dataset_id=row["dataset_id"],
                jurisdiction_code=row["jurisdiction_code"],
                month=row["month"].date() if hasattr(row["month"], "date") else row["month"],
                records=row["n"],
            )
            for row in rows
        ]
    )


def count_delivered(apps, schema_editor):
    Delivery = apps.get_model("hub", "Delivery")
    DeliveryCount = apps.get_model("hub", "DeliveryCount")
    rows = (
        Delivery.objects.filter(status="delivered")
        .annotate(month=TruncMonth("delivered_at"))
        .values("subscription__dataset_id", "subscription__consumer_id", "month")
        .annotate(n=Count("id"))
    )
    DeliveryCount.objects.bulk_create(
        [
            DeliveryCount(
                dataset_id=row["subscription__dataset_id"],
                consumer_id=row["subscription__consumer_id"],
                month=row["month"].date() if hasattr(row["month"], "date") else row["month"],
                records=row["n"],
            )
            for row in rows
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxentry",
            name="dataset",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="hub.dataset",
                verbose_name="数据集",
            ),
        ),
        migrations.AddField(
            model_name="outboxentry",
            name="source",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="来源"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="outboxentry",
            name="first_record_id",
            field=models.BigIntegerField(default=0, verbose_name="起始记录"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="outboxentry",
            name="last_record_id",
            field=models.BigIntegerField(default=0, verbose_name="末尾记录"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="outboxentry",
            name="next_record_id",
            field=models.BigIntegerField(default=0, verbose_name="待分发记录"),
            preserve_default=False,
        ),
        migrations.RunPython(outbox_rows_to_ranges, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="outboxentry",
            name="record",
        ),
        migrations.AlterField(
            model_name="outboxentry",
            name="dataset",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="hub.dataset",
                verbose_name="数据集",
            ),
        ),
        migrations.AddConstraint(
            model_name="outboxentry",
            constraint=models.CheckConstraint(
                condition=models.Q(("first_record_id__lte", models.F("last_record_id"))), name="hub_outbox_range"
            ),
        ),
        migrations.RemoveIndex(
            model_name="hubrecord",
            name="hub_record_dataset_time",
        ),
        migrations.AlterField(
            model_name="hubrecord",
            name="dataset",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="hub.dataset",
                verbose_name="数据集",
                db_constraint=False,
            ),
        ),
        migrations.RemoveField(
            model_name="hubrecord",
            name="content_digest",
        ),
        migrations.AlterField(
            model_name="hubrecord",
            name="created_at",
            field=models.DateTimeField(db_default=Now(), verbose_name="入库时间"),
        ),
        migrations.CreateModel(
            name="RecordCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("jurisdiction_code", models.CharField(max_length=12, verbose_name="所属区划代码")),
                ("month", models.DateField(verbose_name="月份")),
                ("records", models.BigIntegerField(default=0, verbose_name="记录数")),
                (
                    "dataset",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="hub.dataset",
                        verbose_name="数据集",
                    ),
                ),
            ],
            options={
                "verbose_name": "汇聚统计",
                "verbose_name_plural": "汇聚统计",
                "ordering": ["month", "dataset_id", "jurisdiction_code"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("dataset", "jurisdiction_code", "month"), name="hub_recordcount_once"
                    )
                ],
            },
        ),
        migrations.RunPython(count_fanned_out_records, migrations.RunPython.noop),
        migrations.CreateModel(
            name="DeliveryCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(verbose_name="月份")),
                ("records", models.BigIntegerField(default=0, verbose_name="记录数")),
                (
                    "consumer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="hub.consumer",
                        verbose_name="数据使用方",
                    ),
                ),
                (
                    "dataset",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="hub.dataset",
                        verbose_name="数据集",
                    ),
                ),
            ],
            options={
                "verbose_name": "共享统计",
                "verbose_name_plural": "共享统计",
                "ordering": ["month", "dataset_id", "consumer_id"],
                "constraints": [
                    models.UniqueConstraint(fields=("dataset", "consumer", "month"), name="hub_deliverycount_once")
                ],
            },
        ),
        migrations.RunPython(count_delivered, migrations.RunPython.noop),
    ]
