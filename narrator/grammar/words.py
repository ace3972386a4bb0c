"""The word lists and patterns the grammar rules read: corrections to inflect, person
nouns, prepositions, minor words. Data, not logic: add a word here to fix a title."""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Corrections to inflect, and words it gets wrong.  Our answer wins over the table.
IRREGULAR: dict[str, str] = {
    "data": "data", "media": "media", "staff": "staff", "personnel": "personnel",
    "clergy": "clergy", "police": "police", "cattle": "cattle", "swine": "swine",
    "people": "people", "software": "software", "hardware": "hardware", "thief": "thieves",
    "passerby": "passersby", "matrix": "matrices", "vertex": "vertices", "fungus": "fungi",
    "cactus": "cacti", "radius": "radii", "corpus": "corpora", "person": "people",
    "ox": "oxen", "faculty": "faculty", "alumnus": "alumni", "alumna": "alumnae",
    "mine": "mines", "wildlife": "wildlife", "golf": "golfs",  # "ours", "wildlives", "golves"
}
# -o nouns that take -es; every other -o noun takes -s (inflect says "maestroes", "egoes").
O_ES = _words("buffalo cargo domino echo embargo hero mango mosquito motto potato tomato "
              "tornado torpedo veto volcano")
CH_K = _words("tech monarch matriarch patriarch oligarch hierarch epoch stomach eunuch czech "
              "loch psych")
NOT_MAN = _words("human shaman talisman caiman cayman ottoman german roman norman walkman "
                 "dolman ataman ceriman desman farman harman hetman leman")
# Person nouns the suffix test below misses.
PERSON = _words(
    "clerk aide guard chef cook nurse pilot copilot judge chief agent associate delegate "
    "advocate magistrate candidate laureate representative detective operative specialist "
    "coach model host hostess waitress actress seamstress stewardess governess heiress "
    "princess duchess mistress maid nanny valet diplomat bishop priest pastor rabbi imam monk "
    "nun deacon chaplain cardinal king queen prince duke lord lady knight marshal sheriff "
    "bailiff deputy captain colonel admiral commodore corporal cadet ensign mate medic "
    "paramedic mechanic cleric critic midwife orderly vet intern fellow scholar registrar "
    "bursar vicar czar tsar dean provost counsel attorney notary secretary actuary emissary "
    "missionary dignitary functionary beneficiary surgeon athlete umpire jockey caddie caddy "
    "lifeguard bodyguard steward farmhand deckhand stagehand groom bride escort guide scout "
    "spy cop clergy staff crew personnel boss barista concierge bellhop busboy cowboy cowgirl "
    "expert apprentice novice artisan envoy consul sentry recruit veteran analyst son jack "
    "roustabout paralegal patient lead faculty alumnus alumna dj emt president superintendent "
    "correspondent regent")
# Ambiguous: a person only in a conjunct of two or more words ("chief executive and
# legislator" vs "executive and administrative assistant").
AMBIGUOUS = _words("executive general official principal professional graduate marine head "
                   "customer member partner user consumer student resident academic")
NOT_PERSON = _words(
    "computer water paper power center centre quarter order border chapter matter letter "
    "number river timber laser container other under after corner cancer weather winter "
    "summer leather rubber copper silver fiber fibre filter finger powder theater theatre "
    "tower trailer transfer liver heater boiler scanner meter register shelter blender "
    "cluster transformer printer poster banner polymer cyber super upper lower inner outer "
    "former hammer ladder lumber plaster merger answer cover lever dryer freezer cooler "
    "router adapter barrier frontier premier tier pier interior exterior floor door indoor "
    "outdoor color colour labor labour harbor harbour major minor senior junior error "
    "mirror sector vector vapor flavor favor honor humor tumor manor factor motor tractor "
    "elevator generator reactor sensor conveyor compressor semiconductor escalator "
    "calculator simulator ventilator radiator refrigerator incubator client human "
    "restaurant plant pollutant coolant lubricant giant elephant warrant implant sealant "
    "instant quadrant variant covenant pageant constant relevant grant chant slant want "
    "ant pant rant distant vacant infant median meridian list checklist playlist waitlist "
    "wishlist shortlist blacklist whitelist twist wrist mist fist gist assist exist insist "
    "resist persist consist schist coffee committee tree fee free knee degree toffee levee "
    "pedigree decree spree three marquee entree puree settee jamboree filigree disorder "
    "counter drier hoist joist moist")
POSTPOSITIVE = _words("general public laureate apparent presumptive elect designate "
                      "emeritus errant")
RANKS = _words("lieutenant major brigadier")  # "major generals": here "general" is the noun
PERSON_ACRONYMS = _words("CEO CFO CTO COO CIO CMO CPO CISO CRO CDO VP SVP EVP AVP GM RN "
                         "LPN LVN CNA EMT APRN CRNA NP PA MD DJ MC TA RA CPA DBA SRE SDE "
                         "SDET SME PI")
_PERSON_SUFFIXES = ("er", "or", "ist", "ant", "ian", "ee", "eur", "man", "woman", "person",
                    "wright", "smith", "mason", "yst")
_REGULAR_S = ("er", "or", "ist", "ian", "ant", "ee", "eur", "wright", "smith", "mason", "yst",
              "ing", "ment", "tion", "sion", "ship", "ure", "ism")
PREPOSITIONS = _words("of in for to at on with from by without within except including "
                      "excluding de du")
_HYPHEN_PREPS = _words("in at of de on by up to")
MINOR = _words("a an the and or nor but of in on at to for by with from as per via vs vs. "
               "de du")

_COORD = re.compile(r"(,\s+(?:and|or|&)\s+|,\s+|\s+(?:and|or|&)\s+)")
_LEVEL = re.compile(r"^(?:[IVX]+|\d+)$")
_PAREN = re.compile(r"^(.*?)\s*\(([^()]*)\)$")
_ACRONYM = re.compile(r"[A-Z0-9]*[A-Z][A-Z0-9]+s?")
# A word whose last letter is not Latin ("软件工程师", "Σίσυφος"): it has no English plural.
_NON_LATIN_END = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f\u1e00-\u1eff][\W\d_]*$")
