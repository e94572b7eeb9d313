"""Every event gets its public short code; existing events get one each here."""

from django.db import migrations, models

from backchannel.events import codes


def give_codes(apps, schema_editor):  # type: ignore[no-untyped-def]
    Event = apps.get_model("events", "Event")
    used: set[str] = set()
    slugs = {slug.upper() for slug in Event.objects.values_list("slug", flat=True)}
    for event in Event.objects.filter(event_code__isnull=True).only("pk"):
        code = codes.new_code(lambda c: c in used or c in slugs)
        used.add(code)
        Event.objects.filter(pk=event.pk).update(event_code=code)


class Migration(migrations.Migration):
    dependencies = [("events", "0010_event_federates")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="event_code",
            field=models.CharField(max_length=6, null=True, editable=False),
        ),
        migrations.RunPython(give_codes, migrations.RunPython.noop),
    ]
