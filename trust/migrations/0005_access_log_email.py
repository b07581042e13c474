from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("trust", "0004_access_log"),
    ]

    operations = [
        migrations.AlterField(
            model_name="accesslogentry",
            name="channel",
            field=models.CharField(
                choices=[
                    ("page", "on a page"),
                    ("api", "through the API"),
                    ("export", "in an export"),
                    ("email", "in an e-mail"),
                ],
                max_length=10,
                verbose_name="how",
            ),
        ),
    ]
