from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from compliance.views import changes, exports, subprocessors, vendors

urlpatterns = [
    path("", changes.change_list, name="change_list"),
    path("changes/<int:pk>/", changes.change_detail, name="change_detail"),
    path("changes/<int:pk>/review/", changes.change_review_submit, name="change_review"),
    path("changes/export.csv", exports.change_export, name="change_export"),
    path("vendors/", vendors.vendor_list, name="vendor_list"),
    path("vendors/<slug:slug>/", vendors.vendor_detail, name="vendor_detail"),
    path("subprocessors/", subprocessors.subprocessor_list, name="subprocessor_list"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
