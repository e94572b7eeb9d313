from django.db import migrations, models

import backchannel.events.models


class Migration(migrations.Migration):
    dependencies = [("events", "0011_event_code")]

    operations = [
        migrations.AlterField(
            model_name="event",
            name="event_code",
            field=models.CharField(
                default=backchannel.events.models.new_event_code,
                editable=False,
                max_length=6,
                unique=True,
            ),
        ),
    ]
