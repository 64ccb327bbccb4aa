from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from compliance.views import changes

urlpatterns = [
    path("", changes.change_list, name="change_list"),
    path("changes/<int:pk>/", changes.change_detail, name="change_detail"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
