"""Support types: what kind of help a listing gives, finer than the eight needs domains.

A carers' group and a job club can both serve "social relationships"; a support type tells them
apart. The vocabulary is Signpost's own wording of published terms (Open Eligibility's human
services and situations, OpenActive's activity list; `docs/support-types.md` says which and why),
each mapped to the contract section-1 domains it serves, first the main one.

Plain data: no model, no numpy. `listing_terms` and `person_terms` are regular-expression
fragments, matched case-insensitively from a word start: words that by themselves mean the type,
in a listing's text and in a person's own words or conditions. A person fragment anchored with
`^...$` matches a whole condition (e.g. "dementia" as the person's own diagnosis) and never a
sentence about somebody else.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# The HSDS taxonomy these keys are the codes of (`taxonomy_term.taxonomy`), after `signpost_domains`.
SUPPORT_TYPE_TAXONOMY = "signpost_support_types"
SUPPORT_TYPE_TAXONOMY_VERSION = "1"
_NS = uuid.UUID("6f1d0c0e-3b2a-5c7e-9a41-5e1f2b7c8d90")

# CURIEs of the published vocabularies a `source` names (Open Referral UK's register of prefixes).
SOURCE_PREFIXES = {
    "openEligibility": "Open Eligibility taxonomy 2.0 (auntbertha/openeligibility)",
    "openActiveActivity": "OpenActive Activity List (https://openactive.io/activity-list)",
    "signpost": "Signpost's own term, where neither vocabulary has one that fits",
}


@dataclass(frozen=True)
class SupportType:
    key: str
    label: str
    description: str
    domains: tuple[str, ...]
    source: str
    listing_terms: tuple[str, ...]
    person_terms: tuple[str, ...]

    @property
    def main_domain(self) -> str:
        return self.domains[0]


# Who a person may look after or lose, in their words (also read by matcher/support_types.py).
RELATIONS = (r"(?:mum|mother|mam|maw|dad|father|husband|wife|partner|son|daughter|brother|sister|gran|granny|"
        r"grandad|grandpa|grandma|grandmother|grandfather|nan|nana|aunt|auntie|uncle|friend|neighbour|"
        r"parents?|child|children|kids?|wean|boy|girl|fiancée?|other half)")
_OE = "openEligibility:"
_OA = "openActiveActivity:"


def _t(key, label, description, domains, source, listing, person) -> SupportType:
    return SupportType(key, label, description, tuple(domains), source, tuple(listing), tuple(person))


SUPPORT_TYPES: tuple[SupportType, ...] = (
    # ---- company and belonging --------------------------------------------------------------
    _t("befriending", "Befriending",
       "Befriending: a volunteer who visits or phones you regularly for a chat and company if you are "
       "lonely or on your own.",
       ["social_relationships", "mental_wellbeing"], _OE + "1309",
       [r"befriend", r"friendly (?:phone )?calls?", r"(?:weekly|regular) (?:visits?|calls?|phone calls?|chats?)",
        r"check-in calls?"],
       [r"(?:nobody|no one|no-one|anybody|anyone|someone|somebody|folk|people) to talk to",
        r"lonel(?:y|iness)", r"(?:on my own|by myself|alone) (?:all day|most days|at home|since)",
        r"(?:i am|i'm|i live|living) (?:all )?(?:on my own|alone)", r"isolated",
        r"lost touch with (?:my )?(?:friends|people|everyone)", r"(?:don't|do not) (?:know|have) anyone",
        r"(?:no|don't have any|haven't got any) friends", r"miss (?:having )?(?:folk|people|company)",
        r"days are long", r"hardly (?:go|get) out", r"hardly leave the (?:house|flat)",
        r"(?:not really |never )?(?:left|leave) the house"]),
    _t("social_groups", "Social groups and clubs",
       "Social groups, clubs, drop-ins and coffee mornings where you can meet people, make friends and "
       "have a chat.",
       ["social_relationships", "mental_wellbeing"], _OE + "1285",
       [r"social (?:group|club|evening|afternoon|night)s?", r"coffee mornings?", r"friendship",
        r"(?:make|making|meet) (?:new )?friends", r"get-?togethers?", r"day club", r"bingo", r"quiz",
        r"tea dance", r"mahjong", r"a social\b", r"friendly company", r"sociable", r"meet others",
        r"(?:tea|coffee|chai) and (?:a )?chat", r"plenty of chat"],
       [r"meet (?:other |new |some )?(?:people|folk|friends|mums|women|men|others)", r"make (?:new )?friends",
        r"(?:get|getting) out (?:to|and|more|of the house)", r"somewhere to go", r"some company",
        r"a club\b", r"be with (?:other )?people", r"have friends", r"get out to meet"]),
    _t("lunch_clubs", "Lunch clubs and community meals",
       "Lunch clubs and community meals: a hot meal in company at a local centre, often with transport.",
       ["social_relationships", "lifestyle", "money"], _OE + "1131",
       [r"lunch clubs?", r"(?:community|hot|shared|free) (?:meals?|lunch(?:es)?|dinners?)",
        r"lunch (?:together|and (?:a )?(?:chat|company))", r"two-course", r"soup and", r"dinner club"],
       [r"(?:somewhere|place) to go for (?:my |a )?(?:dinner|lunch|meal)", r"lunch club", r"a hot meal",
        r"(?:dinner|lunch) and (?:some )?company", r"eat with (?:other )?people"]),
    _t("mens_groups", "Men's groups and sheds",
       "Men's groups and men's sheds where men get together to make and mend things, share skills and "
       "talk.",
       ["social_relationships", "mental_wellbeing", "work_volunteering"], _OE + "20037",
       [r"men'?s (?:shed|group|club|walk|football|social|breakfast|health|mental health|project)s?",
        r"\bshed\b", r"men-only", r"men get together", r"men come together"],
       [r"men'?s (?:shed|group|club)", r"other men", r"(?:fix|fixing|mend|mending|make|making) things",
        r"woodwork", r"joiner", r"tinker", r"(?:a )?shed\b"]),
    _t("womens_groups", "Women's groups",
       "Women's groups: women-only activities, walks and social groups where women meet and support each "
       "other.",
       ["social_relationships", "mental_wellbeing"], _OE + "20036",
       [r"women'?s (?:group|club|walk|circle|cafe|project)s?", r"women-only", r"women only", r"for women\b",
        r"ladies'? (?:group|club|walk)", r"sisters"],
       [r"other women", r"women(?:-| )only", r"women'?s group", r"other (?:\w+ )?(?:ladies|women)\b"]),
    _t("cultural_groups", "Cultural and faith community groups",
       "Community groups for people of a shared culture, language or faith: meet others from your own "
       "community and home country.",
       ["social_relationships", "mental_wellbeing"], _OE + "1311",
       [r"(?:community|cultural|culture|faith|church|mosque|gurdwara|temple) (?:group|centre|association|"
        r"evening|club|lunch)s?",
        r"(?:south asian|chinese|polish|arabic|arabic-speaking|kurdish|somali|punjabi|urdu|bengali|african|"
        r"roma|romanian|slovak|syrian|afghan|eritrean|persian|iranian|farsi|tigrinya|ukrainian|"
        r"bangladeshi|pakistani|indian|caribbean) (?:women|men|elders|community|families|people|speakers?|"
        r"mums|group|club)", r"in (?:urdu|punjabi|arabic|kurdish|farsi|mandarin|cantonese|polish|somali|"
        r"bengali|romanian|tigrinya|slovak|romani)", r"misses home", r"prayers?"],
       [r"(?:my own|my) (?:community|culture|people)", r"(?:people|folk) from (?:my own |my )?(?:community|"
        r"country|home)", r"(?:friends|people) from home", r"other (?:chinese|somali|polish|arabic|arab|kurdish|"
        r"punjabi|bengali|south asian|african|roma|romanian|slovak|syrian|afghan|eritrean|iranian|persian|"
        r"pakistani|indian|ukrainian) (?:people|women|men|mums|folk|families)", r"mosque", r"gurdwara",
        r"\btemple\b", r"my faith"]),
    _t("lgbt_groups", "LGBTQ+ groups",
       "Groups for lesbian, gay, bisexual and trans people and anyone LGBTQ+ to meet and support each other.",
       ["social_relationships", "mental_wellbeing"], _OE + "20078",
       [r"lgbt", r"lesbian", r"\bgay\b", r"bisexual", r"\btrans\b", r"transgender", r"queer", r"non-binary",
        r"pride"],
       [r"lgbt", r"lesbian", r"\bgay\b", r"bisexual", r"\btrans\b", r"transgender", r"queer", r"non-binary",
        r"coming out"]),
    _t("parent_groups", "Parent and baby groups",
       "Parent and baby or toddler groups: parents and carers of young children meet, play and support "
       "each other.",
       ["social_relationships", "mental_wellbeing"], _OE + "1315",
       [r"parents?(?: and| &) (?:baby|babies|toddlers?|tots?|children)", r"mums?(?: and| &) (?:baby|babies|"
        r"toddlers?|tots?)", r"(?:baby|toddler|stay and play|bumps?) (?:group|club|massage|sessions?)s?",
        r"new (?:mums|parents|dads)", r"under[- ]?(?:5|fives?)s?", r"young children", r"postnatal",
        r"stay and play", r"parenting", r"(?:mums|dads|mothers|fathers|parents)'? (?:group|club|circle|cafe)s?",
        r"for (?:mums|dads|mothers|parents)\b", r"\bfamil(?:y|ies) (?:group|drop-in|club)"],
       [r"(?:my|our|a|with my) (?:new )?(?:baby|babies|toddler|newborn)", r"other (?:mums|parents|dads)",
        r"since my (?:daughter|son|baby) was born", r"postnatal", r"(?:new|single|young) (?:mum|dad|parent)",
        r"pregnan"]),
    _t("carers_support", "Carers' support",
       "Support for unpaid carers looking after a relative, partner or friend: a break, advice, a carers' "
       "group and someone who understands.",
       ["social_relationships", "mental_wellbeing", "money"], _OE + "1286",
       [r"(?<!paid )(?<!home )(?<!care )carers?'?s?(?!\s*(?:wanted|needed|required|jobs?|vacanc|recruit|"
        r"positions?|roles?|payments?|allowance))\b(?! (?:will|visit|come|support you))",
        r"look(?:ing)? after (?:a |someone|somebody|your )(?:\w+ ){0,3}(?:relative|partner|loved one|"
        r"family member|parent|child|husband|wife|friend)", r"caring for (?:someone|somebody|a relative|"
        r"a loved one|a family member|a partner)", r"caring role", r"respite", r"a break from caring",
        r"carers? centre"],
       [rf"(?:look(?:ing|s)? after|care for|caring for|cares for) (?:my|our) {RELATIONS}\b"
        r"(?:,? (?:who|since|after|with|as) (?:(?!and\b|but\b|so\b)[\w']+(?: |\b)){1,4})?",
        rf"my {RELATIONS} (?:has|has got|is living with|lives with|was diagnosed with|is diagnosed with|has had) "
        r"(?:dementia|alzheimer'?s|parkinson'?s|ms\b|multiple sclerosis|motor neurone|mnd|cancer|a stroke|"
        r"learning disabilit|autism|huntington)\w*",
        r"(?:i'm|i am|i've been|i have been|as) (?:a |an |his |her |their |the |the main |an unpaid |"
        r"a full[- ]time |a young )?carer\b",
        rf"(?:with|beside) (?:him|her|my {RELATIONS}) all day and (?:all )?night"]),
    _t("bereavement", "Bereavement support",
       "Bereavement support after someone has died: grief groups, bereavement counselling and people who "
       "understand loss.",
       ["mental_wellbeing", "social_relationships"], _OE + "1314",
       [r"bereave", r"\bgrief\b", r"grieving", r"\bloss of\b", r"(?:after|since) (?:the )?(?:death|loss)",
        r"someone (?:close )?(?:has )?died", r"lost (?:someone|a loved one|a partner)", r"widow"],
       [rf"since (?:my|our) {RELATIONS} (?:died|passed(?: away| on)?|was killed)",
        rf"(?:my|our) {RELATIONS} (?:died|has died|passed(?: away| on)?|has passed(?: away| on)?|was killed|"
        r"is gone|has gone)",
        rf"(?:lost|losing) (?:my|our) {RELATIONS}\b", r"bereave", r"\bgrie(?:f|ving)\b", r"widow(?:ed|er)?\b",
        rf"death of (?:my|our) {RELATIONS}", r"since (?:he|she) (?:died|passed)"]),
    # ---- mental wellbeing -------------------------------------------------------------------
    _t("mental_health_support", "Mental health peer support",
       "Peer support groups for low mood, anxiety, depression and stress, run by people who have been "
       "there.",
       ["mental_wellbeing", "social_relationships"], _OE + "1310",
       [r"low mood", r"anxi", r"depress", r"mental (?:health|ill)", r"feeling (?:low|down|flat)",
        r"wellbeing group", r"peer support", r"stress", r"self-esteem", r"emotional (?:support|wellbeing)",
        r"panic"],
       [r"depress", r"low mood", r"anxi", r"panic attacks?", r"feel(?:ing|s)? (?:so |really |very )?(?:low|down|"
        r"flat|hopeless|overwhelmed|useless)", r"getting (?:really |very )?down", r"\bworr(?:y|ied|ying)\b",
        r"stress(?:ed)?\b", r"(?:my |no |lost my |build (?:up )?my |get my )confidence", r"self-esteem",
        r"mental health", r"can'?t (?:cope|sleep)", r"nerves", r"^ptsd$", r"^insomnia$"]),
    _t("counselling", "Counselling and talking therapy",
       "Counselling and talking therapy: one-to-one sessions with a trained counsellor about stress, loss, "
       "trauma or low mood.",
       ["mental_wellbeing"], _OE + "1304",
       [r"counsell?(?:ing|or)s?", r"talking therap", r"psychotherap", r"\bcbt\b", r"therapist", r"trauma"],
       [r"counsell", r"therap", r"talk to someone about", r"talk to (?:a professional|somebody|someone)(?! "
        r"(?:here|most days))", r"\bptsd\b", r"trauma", r"what happened (?:to me|on the journey|in)",
        r"how i'?m feeling"]),
    _t("listening_helplines", "Listening lines and helplines",
       "Listening lines and helplines: a confidential phone line where a trained volunteer listens when you "
       "feel low, alone or overwhelmed.",
       ["mental_wellbeing", "social_relationships"], _OE + "1305",
       [r"listening (?:line|service)s?", r"listen without judg", r"samaritans", r"(?:help|phone) ?line for",
        r"someone to listen"],
       [r"(?:someone|somebody) to listen", r"listening ear", r"help ?line", r"in the night", r"at night"]),
    _t("mindfulness", "Mindfulness and relaxation",
       "Mindfulness, meditation and relaxation sessions to calm the mind, ease stress and sleep better.",
       ["mental_wellbeing", "self_care"], _OA + "0c2a1e6b-4b02-4b8a-ae6d-59f225ff5341",
       [r"mindful", r"meditat", r"relaxation", r"breathing space", r"calm(?:ing)? (?:the )?mind"],
       [r"mindful", r"meditat", r"relax(?:ation)?\b", r"calm (?:down|my mind)", r"switch off"]),
    _t("recovery_support", "Alcohol and drug recovery",
       "Support to stop or cut down drinking or drugs: recovery cafes, peer-led recovery groups and "
       "meetings.",
       ["lifestyle", "mental_wellbeing", "social_relationships"], _OE + "1178",
       [r"recovery (?:cafe|group|meeting|community|circle|hub)s?", r"(?:in|into) recovery", r"alcohol",
        r"drink(?:ing)?\b", r"\bdrugs?\b", r"addiction", r"substance", r"sober", r"12[- ]step",
        r"aa meetings?", r"cut(?:ting)? down"],
       [r"(?:off|on|give up|giving up|stop|stopping) the drink", r"drinking", r"alcohol", r"\bdrugs?\b",
        r"addict", r"sober", r"\bthe pub\b", r"in recovery", r"(?:drink|drug) problem"]),
    # ---- creative, learning, purpose ----------------------------------------------------------
    _t("arts_crafts", "Arts and crafts",
       "Arts and crafts groups: painting, drawing, sewing, knitting, pottery and other creative activities "
       "for wellbeing.",
       ["mental_wellbeing", "social_relationships"], _OE + "1285",
       [r"\bart\b", r"\barts\b", r"artists?", r"craft", r"paint", r"draw(?:ing)?\b", r"sew(?:ing)?\b", r"knit",
        r"pottery", r"ceramics", r"collage", r"printmaking", r"creativ", r"crochet", r"card-making",
        r"photograph", r"poetry", r"writing group", r"creative writing", r"woodwork"],
       [r"used to (?:paint|draw|sew|knit|make|do (?:art|crafts|pottery))\w*", r"paint(?:ing)?\b", r"draw(?:ing)?\b",
        r"\bart\b", r"\barts\b", r"craft", r"creative", r"sew(?:ing)?\b",
        r"knit", r"pottery", r"crochet", r"make things", r"photograph", r"poetry", r"writing"]),
    _t("singing_music", "Singing and music",
       "Singing and music groups: community choirs, singing for wellbeing and making music together.",
       ["social_relationships", "mental_wellbeing"], _OA + "e2b21a40-66a4-42bb-a24f-3638cc356299",
       [r"sing(?:ing|ers?|s)?\b", r"choirs?", r"songs?", r"music (?:group|session|making|therapy|club)s?",
        r"making music", r"ukulele", r"guitar", r"drumming"],
       [r"used to (?:sing|play)(?: in (?:the |a )?(?:church |community |school )?(?:choir|band))?",
        r"sing(?:ing|s)?\b", r"sang", r"choir", r"music", r"songs?", r"guitar", r"piano", r"\bband\b"]),
    _t("gardening", "Gardening and green spaces",
       "Gardening and green space projects: community gardens, allotments and conservation volunteering "
       "outdoors.",
       ["lifestyle", "social_relationships", "work_volunteering"], _OA + "5b880e93-4a16-4c37-86ac-ba2ffba68358",
       [r"garden", r"allotment", r"growing (?:food|veg|vegetables|plants|flowers)", r"green space",
        r"conservation", r"planting", r"horticultur"],
       [r"garden", r"allotment", r"grow(?:ing)? (?:my own |some )?(?:food|veg|vegetables|plants|flowers)",
        r"outdoors", r"nature"]),
    _t("esol", "English classes (ESOL)",
       "English classes for speakers of other languages (ESOL): learn to speak, read and write English, "
       "with conversation groups for beginners.",
       ["work_volunteering", "social_relationships"], _OE + "1326",
       [r"esol", r"english (?:class|lesson|course|conversation|language)(?:es|s)?", r"learn(?:ing)? english",
        r"english for speakers", r"conversation (?:cafe|club|group)s?", r"speakers of other languages",
        r"practise (?:your )?english", r"improve (?:your )?english"],
       [r"learn(?:ing)? (?:to speak |some |more |better )?english", r"english (?:class|lesson|course)",
        r"(?:speak|read|write|understand) (?:better |more |good |much |any |little |no |the )?english",
        r"(?:my|no|little|not much|poor) english", r"\besol\b"]),
    _t("digital_skills", "Computer and digital skills",
       "Help to use computers, tablets, smartphones and the internet: digital skills classes and drop-ins.",
       ["work_volunteering", "self_care"], _OE + "1351",
       [r"digital (?:skills|inclusion|support|champions?|help)", r"computer (?:class|skills|course|help|club|"
        r"basics|drop-in)s?", r"computing", r"tablets? (?:and|or)", r"smartphones?", r"\bonline skills",
        r"get(?:ting)? online", r"ipad", r"laptops?", r"it skills", r"using the internet"],
       [r"computers?", r"(?:a |my |the |use (?:a |my )?)tablet\b", r"laptop", r"smartphone", r"\bipad\b",
        r"internet", r"get online", r"go online", r"email", r"video call", r"digital", r"the app\b"]),
    _t("adult_learning", "Courses and adult learning",
       "Courses and adult learning: classes, college courses and learning new skills for interest or "
       "qualifications.",
       ["work_volunteering", "mental_wellbeing"], _OE + "1349",
       [r"college", r"qualifications?", r"certificates?", r"\btraining\b", r"adult learning", r"sqa",
        r"learn(?:ing)? (?:new |practical )?skills", r"evening classes"],
       [r"college", r"(?:a|some|evening|night) (?:course|class)(?:es|s)?", r"go back to (?:studying|learning|"
        r"education|college)", r"qualifications?", r"learn(?:ing)? (?:a )?new skills?", r"(?:study|studying)"]),
    _t("employability", "Employment support and job clubs",
       "Employment support and job clubs: help with CVs, job searching, applications, interviews and "
       "getting back to work.",
       ["work_volunteering", "money"], _OE + "1357",
       [r"employab", r"job ?clubs?", r"(?<!small )(?<!odd )\bjobs?\b", r"\bcvs?\b", r"back (?:in)?to work", r"into work",
        r"employment", r"employers?", r"interviews?", r"job search", r"applications", r"careers?",
        r"work placements?", r"return(?:ing)? to work", r"in work\b"],
       [r"(?:a |find |get |find a |get a |proper |new )job", r"lost my job", r"laid (?:me )?off",
        r"(?:find|get|back (?:in)?to|return to|back to my) (?:work|job)", r"unemployed", r"\bcv\b",
        r"interviews?", r"redundan", r"agency work", r"off work", r"taken my job", r"my rights at work",
        r"understand my rights"]),
    _t("volunteering", "Volunteering",
       "Volunteering opportunities: give your time, help others, learn skills and feel useful in the "
       "community.",
       ["work_volunteering", "social_relationships", "mental_wellbeing"], "signpost:volunteering",
       [r"volunteer(?:s|ing)? (?:opportunit|roles?|placements?|with us|programme|centre)", r"volunteering",
        r"become a volunteer", r"give (?:your|some) time", r"(?:join|help) (?:our|the) (?:team|volunteers)",
        r"conservation volunteers"],
       [r"volunteer", r"(?:be|feel|being|something) useful", r"give something back", r"help(?:ing)? others",
        r"give my time", r"miss being useful"]),
    # ---- physical activity ------------------------------------------------------------------
    _t("walking_groups", "Walking groups",
       "Walking groups and health walks: short, friendly led walks at an easy pace in parks and green "
       "spaces.",
       ["lifestyle", "social_relationships"], _OA + "95092977-5a20-4d6e-b312-8fddabe71544",
       [r"(?<!walking )(?<!walking-)walk(?:s|ing)?\b(?! (?:football|netball|rugby|basketball|tennis|cricket|"
        r"hockey|sports?))", r"health walks?", r"strollers?", r"rambl", r"nordic walking"],
       [r"walk(?:ing)? (?:group|more|club|with others|with other people)", r"go(?:ing)? (?:for|on) (?:a )?walks?",
        r"(?:like|love|want|must|need|have) to walk\b(?! far)", r"walk (?:alone|on my own|by myself)",
        r"health walk"]),
    _t("gentle_exercise", "Gentle and chair-based exercise",
       "Gentle exercise classes for older people and people with health conditions: chair-based exercise, "
       "seated and low-impact movement.",
       ["lifestyle", "managing_symptoms"], _OA + "ee3cf3ee-082e-4f53-9cb2-3ef0589497ed",
       [r"chair[- ]based", r"seated (?:exercise|movement)", r"gentle (?:exercise|movement|class|fitness)",
        r"low[- ]impact", r"move more", r"exercise class", r"keep fit", r"stretch", r"chair exercise",
        r"strength and (?:balance|mobility)", r"armchair", r"tai chi", r"balance work", r"exercises that",
        r"gentle circuits"],
       [r"exercise", r"(?:keep|get) (?:my body |myself )?moving", r"more active", r"(?:get|getting) fitter",
        r"do a bit more", r"\bfitness\b", r"keep fit", r"stay active", r"get stronger", r"stretch"]),
    _t("falls_balance", "Falls prevention and balance",
       "Falls prevention and balance classes: strength and balance exercise to feel steadier on your feet "
       "and less afraid of falling.",
       ["managing_symptoms", "lifestyle", "living_conditions"], _OA + "35f999ac-8ed5-46fa-87d0-1c7721aca77e",
       [r"falls?\b(?! asleep)", r"balance", r"steadier", r"steady on your feet", r"unsteady", r"osteoporosis"],
       [r"(?:had|have had|keep having|had a few|had two|had three|had some) (?:a |two |three |several |some |a few )?"
        r"falls?\b", r"fell (?:over|down|in)", r"(?:steadier|steady|unsteady|wobbly) on my feet", r"my balance",
        r"afraid of falling", r"frightened of falling", r"scared of falling", r"^osteoporosis$"]),
    _t("walking_sports", "Walking football and walking sports",
       "Walking football, walking netball and other walking sports: slower versions of team games for "
       "older or less mobile players.",
       ["lifestyle", "social_relationships"], _OA + "b8019b67-2ade-406f-a012-91a5c3869652",
       [r"walking (?:football|netball|rugby|basketball|tennis|cricket|hockey|sports?)", r"five-a-side",
        r"kickabout", r"football"],
       [r"football", r"netball", r"(?:team )?sports?\b", r"fitba"]),
    _t("sport_fitness", "Sport, swimming and fitness",
       "Sport and fitness: swimming, cycling, dance, gym sessions and exercise classes to get fitter.",
       ["lifestyle"], _OE + "1285",
       [r"swim", r"aqua", r"cycl", r"\bbikes?\b", r"dance", r"dancing", r"\bgym\b", r"fitness", r"badminton",
        r"bowls", r"zumba", r"aerobics", r"boxing", r"pool\b"],
       [r"swim", r"cycl", r"\bbike\b", r"danc", r"\bgym\b", r"badminton", r"bowls", r"zumba"]),
    _t("yoga_tai_chi", "Yoga, tai chi and pilates",
       "Yoga, tai chi, qigong and pilates: slow, gentle movement and breathing for flexibility, balance and "
       "calm.",
       ["lifestyle", "mental_wellbeing"], _OA + "bf1a5e00-cdcf-465d-8c5a-6f57040b7f7e",
       [r"yoga", r"tai chi", r"qigong", r"pilates"],
       [r"yoga", r"tai chi", r"qigong", r"pilates"]),
    _t("healthy_eating", "Healthy eating and cooking",
       "Healthy eating and cooking: cookery classes, cooking on a budget and learning what to eat to stay "
       "well.",
       ["lifestyle", "money"], _OE + "1336",
       [r"cook(?:ing|ery)?\b", r"healthy eating", r"nutrition", r"recipes?", r"eat(?:ing)? (?:well|better|"
        r"healthily)", r"meals? on a budget", r"\bdiet\b", r"dietitian", r"food swaps", r"label reading",
        r"(?:about|covering) food"],
       [r"what to eat", r"eat(?:ing)? (?:better|healthier|healthily|well|properly)", r"healthy eating", r"cook",
        r"\bdiet\b", r"nutrition"]),
    _t("weight_management", "Weight management",
       "Weight management groups: support to lose weight steadily with healthy eating and activity.",
       ["lifestyle", "managing_symptoms"], _OE + "1192",
       [r"weight", r"slimming", r"\bbmi\b"],
       [r"lose (?:some |a (?:bit|few stone|little) of |a few |a bit of )?(?:weight|stone|pounds|lbs)",
        r"overweight", r"obes", r"my weight", r"weight loss"]),
    _t("stop_smoking", "Stop smoking",
       "Stop smoking support: help to quit smoking or vaping, with advice and nicotine replacement.",
       ["lifestyle", "managing_symptoms"], _OE + "1178",
       [r"smok", r"quit", r"nicotine", r"vap(?:e|ing)", r"tobacco", r"cigarette"],
       [r"smok", r"cigarettes?", r"\bfags?\b", r"vap(?:e|ing)", r"nicotine", r"\bquit\b"]),
    # ---- long-term conditions -----------------------------------------------------------------
    _t("lung_health", "Breathing and lung health groups",
       "Breathing and lung health groups for people with COPD, asthma or breathlessness: singing for lung "
       "health, breathing exercises and pulmonary rehab.",
       ["managing_symptoms", "lifestyle"], _OA + "fa58a756-6094-4c7d-8716-2aadc27a655f",
       [r"copd", r"\blungs?\b", r"breathless", r"breathing (?:problems?|difficult|conditions?|exercises?|"
        r"techniques?|group|control)", r"respiratory", r"emphysema", r"bronchi", r"pulmonary", r"asthma",
        r"breath control", r"singing for (?:lung|breath)", r"better breathing", r"short of breath",
        r"sing to breathe", r"strengthen breathing"],
       [r"copd", r"\blungs?\b", r"breathless", r"short of breath", r"out of breath", r"emphysema", r"bronchi",
        r"asthma", r"breathing (?:problems?|difficult|is bad)", r"chest infections?", r"pulmonary",
        r"inhaler", r"oxygen"]),
    _t("heart_health", "Heart health and cardiac rehab",
       "Heart health and cardiac rehabilitation: exercise and support after a heart attack or with heart "
       "failure.",
       ["managing_symptoms", "lifestyle"], _OA + "e4c2656d-983d-4126-b824-72c6713879fb",
       [r"cardiac", r"heart (?:attack|failure|condition|disease|health|surgery|problems?)", r"angina",
        r"cardio(?:vascular)? rehab", r"heart support"],
       [r"heart (?:attack|failure|condition|disease|problems?|surgery|op)", r"angina", r"cardiac", r"bypass",
        r"cardiologist", r"atrial fibrillation", r"coronary", r"stent", r"pacemaker"]),
    _t("stroke_support", "Stroke support",
       "Stroke support groups and recovery activities for people living with the effects of a stroke and "
       "their families.",
       ["managing_symptoms", "social_relationships"], _OE + "20090",
       [r"stroke", r"aphasia", r"chest heart (?:and|&) stroke"],
       [r"(?:since|after) (?:my|the|a) stroke", r"(?:i had|i've had|i have had|had) a stroke",
        r"my stroke", r"^(?:[a-z ]+ )?stroke$", r"aphasia"]),
    _t("diabetes_support", "Diabetes support",
       "Diabetes education and support: understanding type 2 diabetes, blood sugar, food and staying well.",
       ["managing_symptoms", "lifestyle", "self_care"], _OE + "1192",
       [r"diabet", r"blood sugar", r"glucose", r"desmond", r"x-pert"],
       [r"diabet", r"(?:blood )?sugars? (?:is |are |is very |are all over|level)", r"my sugars?",
        r"sugar diabetes", r"blood sugar", r"insulin", r"pre-?diabet"]),
    _t("pain_support", "Living with pain and arthritis",
       "Support for living with chronic pain and arthritis: pain management courses and gentle activity.",
       ["managing_symptoms", "mental_wellbeing"], _OE + "1222",
       [r"pain(?:s|ful)?\b", r"arthritis", r"fibromyalgia", r"back care"],
       [r"pain(?:s|ful)?\b", r"arthritis", r"fibromyalgia", r"bad (?:back|knees?|hips?|joints)", r"sore (?:back|knees?|"
        r"hips?|joints)", r"my (?:back|knees?|hips?) (?:is|are)", r"sciatica"]),
    _t("self_management", "Self-management courses",
       "Self-management courses for long-term conditions: pacing, managing fatigue and energy, and living "
       "well with a condition.",
       ["self_care", "managing_symptoms"], _OE + "1192",
       [r"self[- ]manag", r"long[- ]term (?:health )?conditions?", r"fatigue", r"pacing", r"living well with",
        r"long covid", r"manage (?:your|their) (?:condition|health|energy|symptoms)", r"\bms\b",
        r"multiple sclerosis", r"\bme\b/cfs", r"chronic (?:illness|condition)"],
       [r"pace myself", r"pacing", r"manag(?:e|ing) my (?:energy|condition|illness|health|symptoms|fatigue)",
        r"understand my (?:illness|condition|diagnosis)", r"long covid", r"fatigue", r"exhausted all the time",
        r"\bms\b(?! group)", r"multiple sclerosis", r"\bme/cfs\b", r"chronic fatigue", r"my energy"]),
    _t("cancer_support", "Cancer support",
       "Cancer support: information, peer support groups and someone to talk to for people living with or "
       "after cancer, and their families.",
       ["managing_symptoms", "mental_wellbeing", "social_relationships"], _OE + "20044",
       [r"cancer", r"macmillan", r"chemo(?:therapy)?", r"oncology", r"tumou?rs?", r"leukaemia", r"lymphoma"],
       [r"cancer", r"chemo(?:therapy)?", r"radiotherapy", r"tumou?r", r"leukaemia", r"lymphoma",
        r"in remission", r"mastectomy"]),
    _t("dementia_memory", "Dementia and memory support",
       "Dementia and memory support: memory cafes, groups and activities for people living with dementia "
       "or memory problems.",
       ["managing_symptoms", "social_relationships"], _OE + "20045",
       [r"dementia", r"alzheimer", r"memory (?:cafe|loss|problems?|group|clinic)s?", r"cognitive stimulation"],
       [r"^(?:[a-z ]+ )?dementia$", r"^alzheimer'?s?(?: disease)?$", r"^memory (?:loss|problems?)$",
        r"(?:i have|i've got|i was diagnosed with|diagnosed me with) (?:early )?(?:dementia|alzheimer)",
        r"my memory", r"forgetful", r"(?:i|i'm|i keep) forget(?:ting)?"]),
    _t("health_appointments", "Health checks, appointments and medicines",
       "Help with health appointments and medicines: health checks, getting to GP and hospital appointments, "
       "and understanding your medication.",
       ["self_care", "managing_symptoms"], _OE + "1210",
       [r"health checks?", r"(?:gp|hospital|health|medical|doctor'?s?) appointments?",
        r"(?:get|getting) to (?:your |their )?appointments?", r"medication (?:reviews?|support|advice|help)",
        r"medicines? (?:reviews?|support|advice|help|use)", r"understand(?:ing)? (?:your )?(?:medication|medicines)",
        r"prescriptions? (?:collect|deliver)", r"gp registration", r"register with a gp",
        r"blood pressure check", r"health navigat", r"health (?:mot|check-?ups?)"],
       [r"appointments?", r"medication", r"medicines?", r"prescriptions?", r"tablets? (?:i|to take)",
        r"health check", r"(?:register|registering) with a (?:gp|doctor)", r"buses to the hospital",
        r"get(?:ting)? to the (?:hospital|doctor|gp)"]),
    # ---- money ------------------------------------------------------------------------------
    _t("benefits_advice", "Benefits and welfare rights advice",
       "Benefits and welfare rights advice: benefit checks, help to claim what you are entitled to and "
       "challenge decisions.",
       ["money", "self_care"], _OE + "1260",
       [r"benefits?\b", r"welfare rights", r"entitle", r"universal credit", r"\bpip\b", r"pension credit",
        r"attendance allowance", r"income max", r"money advice", r"claim", r"grants?"],
       [r"benefits?\b", r"universal credit", r"\bpip\b", r"pension credit", r"attendance allowance",
        r"(?:what|anything) (?:i|we) (?:can|could) claim", r"entitled", r"sanction",
        r"money'?s? (?:is |has )?(?:very )?(?:tight|run out|short)", r"very little money", r"no money",
        r"help with money", r"sort (?:the|my) money out", r"on my pension",
        r"money (?:worries|problems)"]),
    _t("debt_advice", "Debt and budgeting advice",
       "Debt advice and budgeting help: free, confidential help with debts, arrears, bills and managing "
       "money.",
       ["money", "mental_wellbeing"], _OE + "1263",
       [r"\bdebts?\b", r"arrears", r"budget(?:ing)? (?:advice|help|support|skills|planning)", r"budgeting",
        r"credit union", r"loan sharks?", r"bailiff", r"owe money", r"money management", r"managing money"],
       [r"\bdebts?\b", r"arrears", r"\bowe\b", r"bailiffs?", r"bills (?:have |keep )?(?:piled|piling) up",
        r"stopped opening (?:the |my )?letters", r"loan shark", r"overdrawn", r"credit cards?",
        r"can'?t pay (?:the |my )?(?:rent|bills?|council tax|loan)", r"budget"]),
    _t("food_support", "Food banks and pantries",
       "Food banks, pantries and emergency food: free or low-cost food parcels and groceries when money has "
       "run out.",
       ["money", "lifestyle"], _OE + "1130",
       [r"food ?banks?", r"pantr(?:y|ies)", r"food (?:parcels?|share|aid|larder|club|membership)",
        r"emergency food", r"groceries", r"fresh produce", r"community fridge", r"surplus food"],
       [r"food ?banks?", r"(?:no|enough|help with|money and|can'?t afford) food", r"nothing to eat",
        r"\bhungry\b", r"feed (?:the|my) (?:kids|children|family)", r"skipping meals"]),
    _t("energy_advice", "Energy bills and keeping warm",
       "Energy and fuel advice: help with gas and electricity bills, keeping warm, meters and fuel debt.",
       ["money", "living_conditions"], _OE + "1244",
       [r"fuel", r"energy (?:bills?|advice|costs?|efficiency|debt)", r"gas (?:and|&) electric",
        r"(?:keep|keeping|stay|staying) warm", r"heating", r"meters?\b", r"warm home"],
       [r"(?:gas|electric(?:ity)?|energy|heating|fuel) (?:bills?|costs?|meter|debt)",
        r"can'?t (?:afford|pay) (?:the |my |for )?(?:gas|electric(?:ity)?|heating|energy)",
        r"heating costs", r"(?:cold|freezing) (?:house|flat|home)", r"keep(?:ing)? warm"]),
    # ---- home and getting around ------------------------------------------------------------
    _t("housing_advice", "Housing advice and homelessness",
       "Housing advice and homelessness support: tenancy rights, problems with a landlord, finding a home "
       "and not losing one.",
       ["living_conditions", "money"], _OE + "1142",
       [r"housing", r"homeless", r"tenan", r"landlord", r"evict", r"rough sleep", r"\brent\b", r"a home\b",
        r"accommodation"],
       [r"homeless", r"sofa[- ]?surf", r"evict", r"landlord", r"nowhere to (?:live|stay|sleep)",
        r"housing", r"my tenancy", r"rent arrears", r"sleeping rough", r"kicked out"]),
    _t("home_safety", "Home repairs, adaptations and safety",
       "Home safety, repairs and adaptations: small repairs, grab rails, damp and safety checks so your "
       "home works for you.",
       ["living_conditions", "self_care"], _OE + "1141",
       [r"(?:home|small|minor) repairs?", r"repairs? (?:service|scheme)", r"adaptations?", r"handyperson",
        r"grab rails?", r"safety (?:check|visit)s?", r"home safety", r"odd jobs", r"home from hospital",
        r"settle (?:back )?in", r"key ?safes?", r"smoke alarms?", r"fire safety"],
       [r"\bdamp\b", r"mould", r"repairs?", r"adaptations?", r"grab rails?", r"stairlift",
        r"mak(?:e|ing) (?:my|the|our) (?:house|home|flat)(?: (?:safer|work for (?:the |my |a )?\w+))?", r"wheelchair (?:in|at) home",
        r"stairs? (?:are|is) (?:too )?(?:hard|difficult)"]),
    _t("community_transport", "Community transport",
       "Community transport: door-to-door minibuses and volunteer drivers to appointments, shops and "
       "groups.",
       ["living_conditions", "self_care"], _OE + "1175",
       [r"community transport", r"minibus", r"dial-?a-?ride", r"volunteer drivers?", r"door[- ]to[- ]door",
        r"transport", r"\blifts?\b to", r"\bdriv(?:e|ers?)\b"],
       [r"(?:can'?t|cannot) manage the bus(?:es)?", r"(?:help|trouble|problem) getting (?:about|around|there)",
        r"no car\b", r"transport", r"a lift\b", r"can'?t (?:get|travel) (?:there|far|anywhere)",
        r"buses", r"get(?:ting)? about"]),
    _t("form_filling", "Help with forms and letters",
       "Help with forms, letters and paperwork: filling in applications, understanding official letters and "
       "phone calls.",
       ["self_care", "money"], _OE + "1293",
       [r"forms?\b", r"paperwork", r"letters?\b", r"form[- ]filling", r"official"],
       [r"forms?\b", r"paperwork", r"(?:the |official )?letters from", r"(?:can'?t|cannot) read (?:the )?"
        r"letters", r"letters (?:i|we) (?:cannot|can'?t) (?:read|understand)", r"fill(?:ing)? in"]),
    _t("refugee_support", "Refugee and asylum support",
       "Support for refugees, asylum seekers and new arrivals: advice, orientation, community and help to "
       "settle in.",
       ["living_conditions", "money", "social_relationships"], _OE + "20013",
       [r"refugees?", r"asylum", r"new(?:ly)? arriv", r"migrants?", r"home office", r"immigration"],
       [r"refugee", r"asylum", r"home office", r"leave to remain", r"came to (?:glasgow|scotland|the uk|"
        r"this country|britain)", r"the journey", r"fled", r"new to (?:glasgow|scotland|this country|the uk)"]),
)

# A listing whose text says it is not support for the public at all (a job advert, a clinical test or
# trial, a commercial or professional service): keyword and similarity hits are dropped, except the
# types such a listing can still be (a job, a course, volunteering). The issue's own negatives ("care
# workers wanted" is not carers' support) and the dev sets' hard negatives are of these kinds.
NOT_SUPPORT_TERMS: tuple[str, ...] = (
    r"(?:workers?|staff|carers?|volunteers?|drivers?) (?:wanted|needed)", r"we are recruiting", r"recruitment (?:day|event)",
    r"become a foster carer", r"foster carers?", r"(?:research|clinical) (?:study|trial)", r"study visits",
    r"spirometry", r"lung function test", r"diagnostics", r"not a (?:respiratory|lung|support) (?:service|group)",
    r"debt (?:collection|recovery)", r"collection agency", r"private clinic", r"consultations from",
    r"for (?:aged care|care|disability|health|social care) (?:and disability )?workers", r"professional development",
    r"comedy", r"masterclass", r"private fees", r"initial consultation",
)
KEPT_WHEN_NOT_SUPPORT: tuple[str, ...] = ("employability", "adult_learning", "volunteering")

SUPPORT_TYPE_KEYS: tuple[str, ...] = tuple(t.key for t in SUPPORT_TYPES)
_BY_KEY: dict[str, SupportType] = {t.key: t for t in SUPPORT_TYPES}
_BY_SOURCE: dict[str, list[str]] = {}
for _st in SUPPORT_TYPES:
    _BY_SOURCE.setdefault(_st.source, []).append(_st.key)


def get(key: str) -> SupportType:
    """The support type of a key; KeyError naming it when the vocabulary has none."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"no support type '{key}'") from None


def label(key: str) -> str:
    return get(key).label


def types_of_domain(domain: str, main_only: bool = False) -> list[str]:
    """Keys of the types that serve a domain (or have it as their main domain), vocabulary order."""
    return [t.key for t in SUPPORT_TYPES if (t.main_domain == domain if main_only else domain in t.domains)]


def domains_of(keys: Iterable[str]) -> list[str]:
    """Every domain the given types serve, each once, in the order first met."""
    return list(dict.fromkeys(d for k in keys for d in get(k).domains))


def unknown_keys(keys: Iterable[str]) -> list[str]:
    return [k for k in keys if k not in _BY_KEY]


def parse_keys(value: Any) -> list[str]:
    """A `;`-separated cell or a list of keys, lower-cased, stripped and de-duplicated (not checked)."""
    if value is None:
        return []
    items = value.split(";") if isinstance(value, str) else [str(v) for v in value]
    return list(dict.fromkeys(i.strip().lower() for i in items if i.strip()))


def validate_keys(value: Any, row: int | str | None = None, column: str = "support_types") -> list[str]:
    """The keys of `value` in a stable form; an InputError naming every unknown key otherwise."""
    from .records import InputError, ValidationIssue  # records validates with this module: import late

    keys = parse_keys(value)
    bad = unknown_keys(keys)
    if bad:
        raise InputError([ValidationIssue(row, column, unknown_message(bad))])
    return keys


def unknown_message(bad: list[str]) -> str:
    names = ", ".join(repr(b) for b in bad)
    return (f"unknown support type {names}; use keys of the support-type vocabulary "
            f"(docs/support-types.md), e.g. carers_support, bereavement, debt_advice")


# ---- HSDS 3.0 taxonomy terms -------------------------------------------------------------------
def _taxonomy_detail() -> dict[str, str]:
    return {
        "id": str(uuid.uuid5(_NS, SUPPORT_TYPE_TAXONOMY)),
        "name": SUPPORT_TYPE_TAXONOMY,
        "description": "Signpost's support types: what kind of help a listing gives (docs/support-types.md).",
        "version": SUPPORT_TYPE_TAXONOMY_VERSION,
    }


def to_hsds_terms(keys: Iterable[str]) -> list[dict[str, Any]]:
    """HSDS 3.0 `taxonomy_term` objects for the keys (unknown keys: InputError), in the given order."""
    detail = _taxonomy_detail()
    out = []
    for key in validate_keys(list(keys)):
        st = _BY_KEY[key]
        out.append({
            "id": str(uuid.uuid5(_NS, f"{SUPPORT_TYPE_TAXONOMY}\x1f{key}")),
            "code": key,
            "name": st.label,
            "description": st.description,
            "taxonomy": SUPPORT_TYPE_TAXONOMY,
            "taxonomy_id": detail["id"],
            "taxonomy_detail": dict(detail),
            "language": "en",
        })
    return out


def _term_taxonomy(term: Mapping[str, Any]) -> str:
    detail = term.get("taxonomy_detail")
    name = term.get("taxonomy") or (detail.get("name") if isinstance(detail, Mapping) else "") or ""
    return str(name).strip()


def _published_code(taxonomy: str, code: str) -> str | None:
    """`openEligibility:1314` for a term of Open Eligibility (by name or CURIE), else None."""
    t = taxonomy.lower().replace(" ", "").replace("_", "").replace("-", "")
    if code.count(":") == 1 and code.split(":")[0] in SOURCE_PREFIXES:
        return code
    if "openeligibility" in t:
        return f"openEligibility:{code}"
    if "openactive" in t:
        return f"openActiveActivity:{code.rsplit('#', 1)[-1]}"
    return None


def from_hsds_terms(terms: Iterable[Mapping[str, Any]], where: str | None = None) -> list[str]:
    """Support-type keys read from HSDS taxonomy terms: terms of Signpost's vocabulary by their code,
    and Open Eligibility or OpenActive terms that a support type derives from. Other terms are not
    support types and are skipped; an unknown code in Signpost's vocabulary is an InputError."""
    keys: list[str] = []
    bad: list[str] = []
    for term in terms:
        if not isinstance(term, Mapping):
            continue
        taxonomy = _term_taxonomy(term)
        code = str(term.get("code") or "").strip()
        if taxonomy.lower() == SUPPORT_TYPE_TAXONOMY:
            code = code.lower() or str(term.get("name") or "").strip().lower()
            (keys if code in _BY_KEY else bad).append(code)
        elif code:
            published = _published_code(taxonomy, code)
            derived = _BY_SOURCE.get(published or "", [])
            if len(derived) == 1:  # a broad published term several types narrow is not one of them
                keys.extend(derived)
    if bad:
        from .records import InputError, ValidationIssue

        raise InputError([ValidationIssue(where, "taxonomy_term.code", unknown_message(bad))])
    return list(dict.fromkeys(keys))
