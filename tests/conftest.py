import pytest

from tests.factories import CadreFactory, UnitFactory


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", password="Mật-khẩu-dài-123")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def commune():
    return UnitFactory(name="Xã Tú Đoạn")


@pytest.fixture
def cadre(commune):
    return CadreFactory(full_name="Nông Thanh Hải", cccd="020085001234", unit=commune)
