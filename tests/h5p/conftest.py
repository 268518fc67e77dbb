import io

import pytest

from courses.factories import LessonPageFactory, h5p_step, text_step
from courses.h5p import fixtures, services


@pytest.fixture
def h5p_package(db):
    return services.package_store(file=io.BytesIO(fixtures.build_package()))


@pytest.fixture
def h5p_lesson(module, h5p_package):
    """A text step, then the test H5P package (step 2)."""
    return LessonPageFactory(
        parent=module,
        title="Pincode geheim",
        slug="pincode-geheim",
        steps=[text_step(title="Uitleg"), h5p_step(h5p_package, title="Oefen met H5P")],
    )
