"""URLs of the public pages."""

app_name = "public"
urlpatterns: list = []
