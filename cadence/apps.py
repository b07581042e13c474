from django.apps import AppConfig


class CadenceConfig(AppConfig):
    name = "cadence"
    verbose_name = "Cadence"

    def ready(self):
        from django.urls import register_converter

        from cadence.ids import IdConverter

        # Before any URL pattern is built: every app's urls.py and API routes use `id`.
        register_converter(IdConverter, "id")

        from django.utils.module_loading import autodiscover_modules

        # What waits for someone, from each app's own `waiting.py` (see cadence.waiting).
        autodiscover_modules("waiting")

        from django.apps import apps
        from django.db.models.signals import post_migrate

        from cadence.maintenance import refresh_planner_statistics

        # Sent once per app after the whole migration: one app's signal is enough.
        post_migrate.connect(refresh_planner_statistics, sender=apps.get_app_config("people"))
