from django.core.management.base import BaseCommand

from courses.models import LessonPage
from courses.readability import LONG_SENTENCE_WORDS, analyse, lesson_text
from courses.wordlist import glossary_words


class Command(BaseCommand):
    help = (
        "Readability indicators per lesson (Flesch-Douma, Brouwer, sentence length, words "
        "not in the basic word list)."
    )

    def handle(self, *args, **options):
        header = f"{'les':<52} {'Douma':>6} {'Brouwer':>7} {'w/zin':>6} {'>12 w':>6} {'onbek.':>6}"
        self.stdout.write(header)
        known = glossary_words()
        for lesson in LessonPage.objects.learnable().order_by("path"):
            result = analyse(lesson_text(lesson), longest=100, known=known)
            long_count = len(result.long_sentences)
            self.stdout.write(
                f"{lesson.title[:52]:<52} {result.flesch_douma:6.1f} {result.brouwer:7.1f} "
                f"{result.words_per_sentence:6.1f} {long_count:6d} {len(result.unknown_words):6d}"
            )
        self.stdout.write(
            f"\n'>12 w': zinnen met meer dan {LONG_SENTENCE_WORDS} woorden. Richtwaarden, geen "
            "doel: schrijf voor de leerder, niet voor de score.\n'onbek.': woorden die niet in "
            "de basiswoordenlijst, de platformwoorden of de woordenlijst staan "
            "(courses/wordlists/)."
        )
