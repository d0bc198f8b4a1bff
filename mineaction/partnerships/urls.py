from mineaction.partnerships.views import indicators, partnerships, plans, reports

app_name = "partnerships"
urlpatterns = [
    *partnerships.urlpatterns,
    *plans.urlpatterns,
    *indicators.urlpatterns,
    *reports.urlpatterns,
]
