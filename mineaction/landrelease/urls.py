from mineaction.landrelease.views import exports, imports, maps, progress, quality, records

app_name = "landrelease"
urlpatterns = [
    *progress.urlpatterns,
    *maps.urlpatterns,
    *records.urlpatterns,
    *imports.urlpatterns,
    *quality.urlpatterns,
    *exports.urlpatterns,
]
