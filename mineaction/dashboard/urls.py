from django.urls import path

from mineaction.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
]
