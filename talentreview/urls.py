from django.urls import path

from talentreview import views, views_placements

app_name = "talentreview"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("mine/", views_placements.mine, name="mine"),
    path("<id:review_id>/", views.review, name="review"),
    path("<id:review_id>/labels/", views.labels, name="labels"),
    path("<id:review_id>/advance/", views.advance, name="advance"),
    path("<id:review_id>/place/", views.place, name="place"),
    path("placements/<id:placement_id>/", views_placements.placement, name="placement"),
    path("placements/<id:placement_id>/respond/", views_placements.respond, name="respond"),
]
