from mineaction.challenges.views import register, rounds

app_name = "challenges"
urlpatterns = [*register.urlpatterns, *rounds.urlpatterns]
