app_name = "statutes"
urlpatterns: list = []
