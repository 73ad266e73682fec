"""Events gain `timezone` (existing events get "UTC") and an index on end_time (`when=`)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0005_seat_reserved'),
    ]

    operations = [
        migrations.AddField(
            model_name='event',
            name='timezone',
            field=models.CharField(default='UTC', max_length=64),
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(fields=['end_time'], name='event_end_idx'),
        ),
    ]
