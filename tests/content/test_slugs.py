from cms.content.slugs import slugify, unique_slug


def test_the_seed_headline_becomes_its_slug() -> None:
    title = "Chinesische Firma hat vor Exportverbot 18 Monate lang Nvidia-GPUs gelagert"
    assert slugify(title) == "chinesische-firma-hat-vor-exportverbot-18-monate-lang-nvidia-gpus-gelagert"


def test_german_letters_are_transliterated_not_dropped() -> None:
    assert slugify("Größe, Übermut & Ärger: Straße") == "groesse-uebermut-aerger-strasse"


def test_other_accents_lose_only_their_marks() -> None:
    assert slugify("Café déjà vu") == "cafe-deja-vu"


def test_a_title_without_letters_gives_an_empty_slug_and_unique_slug_falls_back() -> None:
    assert slugify("!!! ???") == ""
    assert unique_slug("!!!", lambda s: False, fallback="article") == "article"


def test_taken_slugs_get_numbered_suffixes() -> None:
    taken = {"hello", "hello-2"}
    assert unique_slug("Hello", taken.__contains__) == "hello-3"
