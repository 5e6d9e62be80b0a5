from django import forms

from core.widgets import PlainSelect


def test_the_plain_select_gives_the_same_options_as_djangos_without_a_template_each():
    choices = [("", "---------"), (1, "Xã Tú Đoạn"), (2, "Huyện <Lộc Bình>")]
    ours = PlainSelect(choices=choices).render("unit", 2, attrs={"id": "id_unit"})
    django = forms.Select(choices=choices).render("unit", 2, attrs={"id": "id_unit"})
    assert ours == "".join(line.strip() for line in django.splitlines())
    assert '<option value="2" selected>Huyện &lt;Lộc Bình&gt;</option>' in ours
