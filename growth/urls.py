from django.urls import path

from growth import views, views_career, views_framework

app_name = "growth"

urlpatterns = [
    path("", views.index, name="index"),
    path("framework/", views_framework.framework, name="framework"),
    path("framework/versions/<id:number>/download/", views_framework.export, name="export"),
    path("framework/import/", views_framework.import_framework, name="import"),
    path("framework/start/", views_framework.start, name="start"),
    path("career/", views_career.career, name="career"),
]
