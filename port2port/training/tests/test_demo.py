"""The demo's trainings and campaigns: past and coming, with seats, attendance and feedback."""

import pytest
from django.utils import timezone

from port2port.demo import generate
from port2port.training.models import Attendance, Campaign, Feedback, Participation, Registration, Training


@pytest.fixture(autouse=True)
def demo_mode(settings):
    settings.DEMO_MODE = True


def test_the_demo_holds_past_and_coming_trainings_with_their_life(db):
    generate.load(report_count=10)
    now = timezone.now()
    assert Training.objects.filter(ends_at__lt=now).count() >= 3
    assert Training.objects.filter(starts_at__gt=now).count() >= 4
    assert Registration.objects.filter(attendance=Attendance.ATTENDED).exists()
    assert Registration.objects.filter(status="waiting").exists()  # the AI camera course is full
    assert Feedback.objects.exists()
    assert Campaign.objects.count() == 2
    assert Participation.objects.filter(people_reached__gt=0).count() >= 3
