"""A person proposed for admission is usually not on the cadre register: known from the class
on the Party they attended, linked to a cadre record later."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from party.models import AdmissionCandidate
from tests.factories import CadreFactory
from tests.party.factories import VillageFactory, class_attended
from tests.training.factories import TraineeFactory
from training.choices import CourseTopic

pytestmark = pytest.mark.django_db


@pytest.fixture
def village():
    return VillageFactory(name="Thôn Nà Pàn")


@pytest.fixture
def trainee(village):
    return TraineeFactory(full_name="Lăng Thị Mai", birth_date=date(2001, 4, 9), unit=village)


def propose_from_class(attendance, village) -> AdmissionCandidate:
    """What the admin form does: the class is chosen, the person follows from it."""
    candidate = AdmissionCandidate(unit=village, proposed_on=date(2024, 2, 1))
    candidate.candidate_class = attendance
    candidate.full_clean()
    candidate.save()
    return candidate


def test_a_person_from_the_candidate_class_linked_to_a_cadre_later_keeps_the_same_attendance(
    admin_client, village, trainee
):
    attendance = class_attended(trainee=trainee, ends=date(2024, 3, 8))
    candidate = propose_from_class(attendance, village)
    assert candidate.trainee == trainee and candidate.cadre is None
    candidate.admitted_on, candidate.decision_number = date(2024, 9, 2), "41-QĐ/ĐU"
    candidate.full_clean()
    candidate.save()

    # Recruited as commune staff a year later: now on the register, the trainee linked to it.
    cadre = CadreFactory(full_name="Lăng Thị Mai", cccd="020301009999", unit=village)
    trainee.link_to(cadre)

    candidate.refresh_from_db()
    attendance.refresh_from_db()
    assert candidate.candidate_class_id == attendance.pk
    assert (attendance.trainee, attendance.cadre) == (trainee, cadre)
    assert candidate.person == cadre
    assert not AdmissionCandidate.objects.admitted_without_candidate_class(date(2025, 1, 1))
    assert candidate.stage_on(date(2025, 1, 1)) == "Đảng viên dự bị"
    found = admin_client.get(
        reverse("admin:party_admissioncandidate_changelist"), {"q": "020301009999"}
    )
    assert list(found.context["cl"].result_list) == [candidate]  # by the cadre's CCCD
    found = admin_client.get(
        reverse("admin:party_admissioncandidate_changelist"), {"q": "lang thi mai"}
    )
    assert list(found.context["cl"].result_list) == [candidate]


def test_a_candidate_needs_a_person(village):
    candidate = AdmissionCandidate(unit=village, proposed_on=date(2024, 2, 1))
    with pytest.raises(ValidationError) as error:
        candidate.full_clean()
    assert "trainee" in error.value.message_dict


def test_the_candidate_class_must_be_a_class_on_the_party(village, trainee):
    other_topic = class_attended(trainee=trainee, topic=CourseTopic.RESOLUTIONS)
    candidate = AdmissionCandidate(
        unit=village, proposed_on=date(2024, 2, 1), trainee=trainee, candidate_class=other_topic
    )
    with pytest.raises(ValidationError) as error:
        candidate.full_clean()
    assert "không thuộc lớp" in error.value.message_dict["candidate_class"][0]


def test_the_classes_must_have_been_attended_by_the_same_person(village, trainee):
    someone_else = class_attended(trainee=TraineeFactory(unit=village))
    candidate = AdmissionCandidate(
        unit=village, proposed_on=date(2024, 2, 1), trainee=trainee, candidate_class=someone_else
    )
    with pytest.raises(ValidationError) as error:
        candidate.full_clean()
    assert error.value.message_dict["candidate_class"] == ["Lượt học này là của người khác."]


def test_a_class_attended_as_a_cadre_counts_for_the_trainee_linked_to_that_cadre(village, trainee):
    cadre = CadreFactory(unit=village)
    trainee.link_to(cadre)
    new_members = class_attended(
        cadre=cadre, ends=date(2025, 1, 10), topic=CourseTopic.NEW_PARTY_MEMBERS
    )
    candidate = AdmissionCandidate(
        unit=village,
        proposed_on=date(2024, 2, 1),
        trainee=trainee,
        admitted_on=date(2024, 9, 2),
        decision_number="41-QĐ/ĐU",
        new_member_class=new_members,
    )
    candidate.full_clean()


def test_the_candidate_form_takes_the_person_from_the_class_chosen(admin_client, village, trainee):
    attendance = class_attended(trainee=trainee)
    response = admin_client.post(
        reverse("admin:party_admissioncandidate_add"),
        {"unit": village.pk, "proposed_on": "01/02/2024", "candidate_class": attendance.pk},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert AdmissionCandidate.objects.get().trainee == trainee
