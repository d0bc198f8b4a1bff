from mineaction.funding.views import funding, iati, pledges

app_name = "funding"
urlpatterns = [*funding.urlpatterns, *pledges.urlpatterns, *iati.urlpatterns]
