
app_name = "succession"

urlpatterns: list = []
