from django.urls import path

from mobility import views, views_openings

app_name = "mobility"

urlpatterns = [
    path("", views.index, name="index"),
    path("preference/", views.preference, name="preference"),
    path("supply-and-demand/", views.supply, name="supply"),
    path("openings/new/", views_openings.post, name="post"),
    path("openings/<id:opening_id>/", views_openings.opening, name="opening"),
    path("openings/<id:opening_id>/edit/", views_openings.edit, name="edit"),
    path("openings/<id:opening_id>/close/", views_openings.close, name="close"),
    path("openings/<id:opening_id>/interest/", views_openings.express, name="express"),
    path("openings/<id:opening_id>/interest/withdraw/", views_openings.withdraw, name="withdraw"),
]
