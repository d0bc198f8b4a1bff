from mineaction.policies.views import advocacy, instruments, standards

app_name = "policies"
urlpatterns = [*instruments.urlpatterns, *advocacy.urlpatterns, *standards.urlpatterns]
