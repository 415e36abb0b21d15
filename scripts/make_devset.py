"""Write the labelled development set for the quality benchmark (`bench/data/devset.jsonl`).

    python3 scripts/make_demo_directory.py   # first: the demo directory and its hidden topics
    python3 scripts/make_devset.py

Stdlib only and deterministic. Each line is one needs profile (contract section 3) with the demo
listings judged relevant to it: {"id", "persona", "profile", "relevant": {listing id: grade}}.

How relevance is judged (never from the `domains` column alone, never from embeddings):
  * every profile below names its main topics (what its needs scored 1-4 and the core of its goals
    call for) and its lesser topics (needs scored 5-7, or loosely related help), in the
    fine-grained vocabulary of `bench/data/demo_topics.csv`, the topics each listing was made from;
  * a listing that breaks any hard constraint of contract section 4 for the profile is never
    relevant (`breaks_a_rule` below, a plain one-listing-at-a-time reading of the contract);
  * grade 2: an eligible listing whose topics meet a main topic;
    grade 1: an eligible listing whose topics meet only a lesser topic;
  * a listing made for people with a particular condition is at most grade 1 (loosely related) for
    someone without it, even when another of its topics matches: a lung-health choir for a widow
    who wants to sing;
  * a listing made for a particular community or situation (carers, parents, a language
    community, refugees, LGBT+ people, people who are homeless...) is not relevant to someone
    outside it: a Polish befriending line is not a match for a Scots pensioner who speaks English.
A check at the end prints, per profile, how many listings are eligible and how many are judged,
and fails unless every profile has at least three grade-2 listings.
"""

from __future__ import annotations

import csv
import json
import math
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "directory" / "data" / "demo_directory.csv"
TOPICS = ROOT / "bench" / "data" / "demo_topics.csv"
GAZETTEER = ROOT / "directory" / "data" / "gazetteer.csv"
OUT = ROOT / "bench" / "data" / "devset.jsonl"
SEED = 36
EARTH_RADIUS_KM = 6371.0088  # mean Earth radius, as geopy's great_circle uses

# Topics that mark a listing as made for a particular group; see the module docstring.
CONDITION_TOPICS = frozenset({
    "breathing", "diabetes", "cardiac", "stroke", "pain", "arthritis", "fatigue", "alcohol", "recovery",
    "hospital_discharge",
})
COMMUNITY_TOPICS = frozenset({
    "carers", "menopause", "parent_group", "lgbt", "refugee_support", "homelessness", "cultural_group",
})


# ---- contract section 4, one listing at a time ----------------------------------------------------
def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, max(0.0, a))))


COST_LEVEL = {"free": 0, "low_cost": 1, "paid": 2, "": 2}  # blank cost is treated as paid


def breaks_a_rule(row: dict, profile: dict) -> str | None:
    """The first rule of contract section 4 the listing breaks for the profile, or None."""
    if (row["status"] or "active") != "active":
        return "inactive"
    langs = set(row["languages"].split(";")) if row["languages"] else {"en"}
    if not (langs & set(profile.get("languages", ["en"])) or row["interpreter_available"] == "true"):
        return "language"
    age = profile.get("age")
    if age is not None and ((row["min_age"] and age < int(row["min_age"])) or
                            (row["max_age"] and age > int(row["max_age"]))):
        return "age"
    if row["gender"] and row["gender"] != profile.get("gender"):
        return "gender"
    modes = row["delivery"].split(";")
    digital = profile.get("digital_access", "online")
    reach = False
    if "in_person" in modes:
        loc = profile.get("location")
        near = loc is None or haversine_km(loc["latitude"], loc["longitude"], float(row["latitude"]),
                                           float(row["longitude"])) <= profile.get("max_distance_km", 5)
        access = not profile.get("needs_wheelchair_access", False) or row["wheelchair_accessible"] == "true"
        reach = near and access
    reach = reach or ("phone" in modes and digital in ("phone", "online"))
    reach = reach or ("online" in modes and digital == "online")
    if not reach:
        return "reach"
    if COST_LEVEL[row["cost"]] > COST_LEVEL[profile.get("max_cost", "paid")]:
        return "cost"
    return None


def grade(topics: set[str], case: dict) -> int:
    main, lesser, belongs = set(case["main"]), set(case["lesser"]), set(case.get("belongs", ()))
    if topics & COMMUNITY_TOPICS and not topics & COMMUNITY_TOPICS & belongs:
        return 0
    outside_group = bool(topics & CONDITION_TOPICS) and not (topics & CONDITION_TOPICS & belongs)
    if topics & main:
        return 1 if outside_group else 2
    if topics & lesser:
        return 1
    return 0


# ---- the profiles ----------------------------------------------------------------------------------
# place: a gazetteer neighbourhood; the person is put a few hundred metres from its centre.
# main / lesser: topics (see the docstring); belongs: the groups this person is part of.
def P(pid, persona, place, profile, main, lesser, belongs=()):
    return dict(id=pid, persona=persona, place=place, profile=profile, main=main.split(), lesser=lesser.split(),
                belongs=belongs.split() if isinstance(belongs, str) else list(belongs))


CASES = [
    P("D01", "Retired man, 67, COPD, lives alone in Easterhouse, telephone but no internet, no spare money", "Easterhouse",
      dict(needs={"managing_symptoms": 2, "social_relationships": 3, "money": 4, "lifestyle": 6},
           goals="Since my COPD got worse I hardly leave the flat. I get breathless on the stairs and I miss having folk to talk to. The gas bill is frightening me this winter.",
           conditions=["COPD"], languages=["en"], age=67, gender="male", max_distance_km=3, digital_access="phone",
           needs_wheelchair_access=False, max_cost="free"),
      "breathing befriending lunch_club social_group fuel_advice welfare_rights benefits_check",
      "walking chair_exercise gentle_exercise choir singing older_people", "breathing"),
    P("D02", "Widow, 78, Dennistoun, no phone or internet use, recently bereaved, used to sing in a church choir", "Dennistoun",
      dict(needs={"mental_wellbeing": 2, "social_relationships": 2},
           goals="Since my husband died last spring I hardly go out. I used to sing in the church choir and I'd like to again.",
           conditions=["osteoarthritis", "high blood pressure"], languages=["en"], age=78, gender="female",
           max_distance_km=2, digital_access="none", needs_wheelchair_access=False, max_cost="low_cost"),
      "bereavement choir singing lunch_club social_group befriending older_people faith_group",
      "walking arts crafts arthritis counselling peer_support", "arthritis"),
    P("D03", "Woman, 58, Pollokshields, speaks Urdu only, type 2 diabetes, telephone only", "Pollokshields",
      dict(needs={"managing_symptoms": 2, "lifestyle": 3, "social_relationships": 4},
           goals="My sugar is high and the doctor says I must walk more, but I don't like to walk alone. I would like to meet other women.",
           conditions=["type 2 diabetes"], languages=["ur"], age=58, gender="female", max_distance_km=3,
           digital_access="phone", needs_wheelchair_access=False, max_cost="free"),
      "diabetes walking chair_exercise gentle_exercise healthy_eating cultural_group social_group",
      "cooking faith_group befriending self_management", "diabetes cultural_group"),
    P("D04", "Widower, 72, Pollokshields, speaks Punjabi only, heart failure after a heart attack, telephone only", "Pollokshields",
      dict(needs={"social_relationships": 2, "managing_symptoms": 3, "mental_wellbeing": 4},
           goals="After my heart attack I am scared to do much. My wife has passed and the days are long; I would like to be with people from my own community.",
           conditions=["heart failure", "type 2 diabetes"], languages=["pa"], age=72, gender="male", max_distance_km=2.5,
           digital_access="phone", needs_wheelchair_access=False, max_cost="free"),
      "cardiac lunch_club cultural_group social_group befriending bereavement",
      "faith_group diabetes walking chair_exercise self_management health_checks", "cardiac diabetes cultural_group"),
    P("D05", "Woman, 41, Govanhill, speaks Polish only, lost her job, debts and anxiety", "Govanhill",
      dict(needs={"money": 2, "mental_wellbeing": 3, "work_volunteering": 6},
           goals="I lost my job and the debts keep growing. I can't sleep from worry and I don't have anyone to talk to here.",
           conditions=["anxiety", "asthma"], languages=["pl"], age=41, gender="female", max_distance_km=3,
           digital_access="phone", needs_wheelchair_access=False, max_cost="low_cost"),
      "debt_advice welfare_rights benefits_check counselling anxiety",
      "peer_support esol befriending cultural_group employability budgeting fuel_advice", "cultural_group"),
    P("D06", "Refugee, 35, Govan, speaks Arabic only, wants English and work, very little money, online", "Govan",
      dict(needs={"work_volunteering": 2, "money": 3, "social_relationships": 4},
           goals="I want to learn English and find work so I can support my family. Now we have very little money.",
           conditions=["back pain"], languages=["ar"], age=35, gender="male", max_distance_km=4,
           digital_access="online", needs_wheelchair_access=False, max_cost="free"),
      "esol employability training welfare_rights benefits_check food_bank refugee_support cultural_group social_group",
      "volunteering digital_skills walking_sport form_filling pantry", "refugee_support cultural_group"),
    P("D07", "Woman, 70, Anderston, speaks Mandarin only, lonely while her family works, telephone only", "Anderston",
      dict(needs={"social_relationships": 2, "lifestyle": 4},
           goals="My children work all day. I would like to meet other Chinese people and keep my body moving.",
           conditions=["osteoporosis", "high blood pressure"], languages=["zh"], age=70, gender="female",
           max_distance_km=3, digital_access="phone", needs_wheelchair_access=False, max_cost="low_cost"),
      "tai_chi lunch_club cultural_group befriending social_group", "walking falls balance gentle_exercise", "cultural_group"),
    P("D08", "Roma mother, 29, Govanhill, speaks Romanian only, cannot read official letters, short of money", "Govanhill",
      dict(needs={"money": 2, "self_care": 3, "social_relationships": 5},
           goals="The letters from the council and the school I cannot read. We need help with money and food for the children.",
           conditions=[], languages=["ro"], age=29, gender="female", max_distance_km=2,
           digital_access="phone", needs_wheelchair_access=False, max_cost="free"),
      "welfare_rights form_filling food_bank pantry benefits_check appointment_support",
      "parent_group cultural_group esol social_group community_meal", "parent_group cultural_group"),
    P("D09", "Man, 54, Parkhead, wheelchair user with multiple sclerosis and fatigue, online", "Parkhead",
      dict(needs={"managing_symptoms": 2, "mental_wellbeing": 3, "work_volunteering": 4},
           goals="MS has taken my job and most of my energy. I want to learn to pace myself, talk to people who get it, and maybe do some volunteering from home.",
           conditions=["multiple sclerosis"], languages=["en"], age=54, gender="male", max_distance_km=4,
           digital_access="online", needs_wheelchair_access=True, max_cost="paid"),
      "fatigue self_management peer_support counselling low_mood mindfulness volunteering employability",
      "anxiety digital_skills training", "fatigue"),
    P("D10", "Young man, 19, Drumchapel, anxiety, left college, out of work", "Drumchapel",
      dict(needs={"mental_wellbeing": 2, "work_volunteering": 2, "lifestyle": 6},
           goals="I've not really left the house since college finished. My anxiety is bad. I'd like a job one day but I need to get my confidence up first.",
           conditions=["anxiety"], languages=["en"], age=19, gender="male", max_distance_km=5,
           digital_access="online", needs_wheelchair_access=False, max_cost="free"),
      "anxiety peer_support confidence counselling low_mood mindfulness employability training volunteering",
      "walking_sport shed digital_skills gardening"),
    P("D11", "Young woman, 22, Castlemilk, full-time carer for her mother, exhausted and low", "Castlemilk",
      dict(needs={"self_care": 3, "mental_wellbeing": 3, "work_volunteering": 5},
           goals="I look after my mum who has MS and I'm exhausted. I never get time for me and I've given up on college.",
           conditions=["low mood"], languages=["en"], age=22, gender="female", max_distance_km=4,
           digital_access="online", needs_wheelchair_access=False, max_cost="free"),
      "carers counselling peer_support anxiety low_mood mindfulness", "employability training arts volunteering", "carers"),
    P("D12", "Man, 81, Possilpark, heart failure and COPD, lives alone, does not use a phone or internet", "Possilpark",
      dict(needs={"social_relationships": 2, "self_care": 3, "living_conditions": 4},
           goals="I live on my own since my wife went into a home. I get breathless walking far. I'd like somewhere to go for my dinner and some company, and help getting to the hospital.",
           conditions=["heart failure", "COPD"], languages=["en"], age=81, gender="male", max_distance_km=2,
           digital_access="none", needs_wheelchair_access=False, max_cost="free"),
      "lunch_club social_group befriending older_people community_meal appointment_support hospital_transport medication_help cardiac breathing home_safety community_transport adaptations",
      "chair_exercise falls pantry", "cardiac breathing"),
    P("D13", "Woman, 45, Shettleston, fibromyalgia and depression, telephone only, no money to spare", "Shettleston",
      dict(needs={"managing_symptoms": 2, "mental_wellbeing": 3, "money": 6},
           goals="The pain in my back and hips never stops and I'm getting really down. I can't afford anything that costs.",
           conditions=["fibromyalgia", "depression"], languages=["en"], age=45, gender="female", max_distance_km=3,
           digital_access="phone", needs_wheelchair_access=False, max_cost="free"),
      "pain low_mood counselling listening peer_support anxiety mindfulness",
      "gentle_exercise arthritis arts swimming chair_exercise welfare_rights benefits_check", "pain"),
    P("D14", "Man, 63, Springburn, type 2 diabetes, heavy smoker, wants to lose weight", "Springburn",
      dict(needs={"lifestyle": 2, "managing_symptoms": 3},
           goals="I need to stop smoking and lose a few stone; my sugars are all over the place. I'd rather do it with other people than on my own.",
           conditions=["type 2 diabetes", "obesity"], languages=["en"], age=63, gender="male", max_distance_km=3,
           digital_access="online", needs_wheelchair_access=False, max_cost="low_cost"),
      "stop_smoking weight healthy_eating diabetes", "walking cooking walking_sport", "diabetes"),
    P("D15", "Woman, 69, Castlemilk, COPD, type 2 diabetes and osteoarthritis, on a state pension, telephone only", "Castlemilk",
      dict(needs={"managing_symptoms": 2, "lifestyle": 3, "social_relationships": 4, "money": 4},
           goals="I've got COPD, sugar diabetes and bad knees. I'd like to be able to do a bit more and get out to meet folk, but money's tight on my pension.",
           conditions=["COPD", "type 2 diabetes", "osteoarthritis"], languages=["en"], age=69, gender="female",
           max_distance_km=3, digital_access="phone", needs_wheelchair_access=False, max_cost="free"),
      "breathing diabetes arthritis chair_exercise gentle_exercise falls lunch_club social_group benefits_check welfare_rights",
      "walking cooking befriending self_management pantry fuel_advice tai_chi", "breathing diabetes arthritis pain"),
    P("D16", "Man, 58, Govan, made redundant, debts, depression", "Govan",
      dict(needs={"money": 1, "mental_wellbeing": 3, "work_volunteering": 4},
           goals="Since the yard laid me off the bills have piled up and I've stopped opening letters. My GP says I'm depressed. I need to sort the money out first.",
           conditions=["depression", "hypertension"], languages=["en"], age=58, gender="male", max_distance_km=3,
           digital_access="phone", needs_wheelchair_access=False, max_cost="free"),
      "debt_advice welfare_rights benefits_check budgeting low_mood peer_support counselling listening employability training",
      "shed volunteering food_bank fuel_advice confidence"),
    P("D17", "Woman, 76, Knightswood, two falls this year, osteoporosis, no phone or internet use", "Knightswood",
      dict(needs={"managing_symptoms": 2, "living_conditions": 3, "social_relationships": 4},
           goals="I've had two falls this year and now I'm frightened to go out. I'd like to get steadier on my feet and make my house safer.",
           conditions=["osteoporosis", "atrial fibrillation"], languages=["en"], age=76, gender="female",
           max_distance_km=3, digital_access="none", needs_wheelchair_access=False, max_cost="low_cost"),
      "falls balance chair_exercise adaptations home_safety home_repairs social_group lunch_club older_people befriending",
      "tai_chi gentle_exercise walking community_transport"),
    P("D18", "Woman, 66, Partick, wheelchair user after a stroke, lost touch with friends", "Partick",
      dict(needs={"social_relationships": 2, "managing_symptoms": 3, "mental_wellbeing": 4},
           goals="Since my stroke I use a wheelchair and I've lost touch with friends. I'd love to get back to singing or painting, somewhere I can actually get in the door.",
           conditions=["stroke", "high blood pressure"], languages=["en"], age=66, gender="female", max_distance_km=4,
           digital_access="online", needs_wheelchair_access=True, max_cost="paid"),
      "stroke choir singing arts crafts social_group befriending peer_support counselling mindfulness", "dance", "stroke"),
    P("D19", "Man, 40, Maryhill, three months sober, depression, a joiner by trade", "Maryhill",
      dict(needs={"lifestyle": 2, "mental_wellbeing": 3, "work_volunteering": 4},
           goals="I'm three months off the drink and I need to fill my days with something that isn't the pub. I used to be a joiner.",
           conditions=["alcohol dependence", "depression"], languages=["en"], age=40, gender="male", max_distance_km=3,
           digital_access="phone", needs_wheelchair_access=False, max_cost="free"),
      "alcohol recovery peer_support low_mood counselling shed volunteering employability training",
      "food_bank walking", "alcohol recovery"),
    P("D20", "New mother, 33, Sighthill, speaks Tigrinya only, arrived last year, knows nobody", "Sighthill",
      dict(needs={"social_relationships": 2, "work_volunteering": 3, "money": 4},
           goals="I came to Glasgow last year with my baby. I don't know anyone and I want to learn English.",
           conditions=[], languages=["ti"], age=33, gender="female", max_distance_km=3,
           digital_access="phone", needs_wheelchair_access=False, max_cost="free"),
      "cultural_group parent_group esol befriending social_group food_bank welfare_rights benefits_check",
      "refugee_support counselling", "cultural_group parent_group refugee_support"),
    P("D21", "Woman, 52, Ibrox, speaks Somali only, diabetes and high blood pressure", "Ibrox",
      dict(needs={"managing_symptoms": 3, "social_relationships": 3},
           goals="I have diabetes and high blood pressure. I want to understand my illness and meet other Somali women.",
           conditions=["type 2 diabetes", "hypertension"], languages=["so"], age=52, gender="female",
           max_distance_km=4, digital_access="phone", needs_wheelchair_access=False, max_cost="free"),
      "diabetes cultural_group social_group healthy_eating self_management",
      "walking cooking refugee_support form_filling welfare_rights health_checks", "diabetes cultural_group"),
    P("D22", "Young man, 28, Maryhill, speaks Farsi only, sought asylum, trauma and sleeplessness, online", "Maryhill",
      dict(needs={"mental_wellbeing": 2, "work_volunteering": 3},
           goals="I cannot sleep, I think all the time about what happened on the journey. I want to talk to someone and to learn English.",
           conditions=["PTSD", "insomnia"], languages=["fa"], age=28, gender="male", max_distance_km=4,
           digital_access="online", needs_wheelchair_access=False, max_cost="free"),
      "counselling peer_support anxiety mindfulness esol employability refugee_support",
      "cultural_group arts social_group walking_sport", "refugee_support cultural_group"),
    P("D23", "Man, 45, Govan, speaks Kurdish only, chronic back pain from building work, telephone only", "Govan",
      dict(needs={"managing_symptoms": 3, "social_relationships": 3, "work_volunteering": 4},
           goals="My back pain is very bad since I worked in construction. I miss my friends from home.",
           conditions=["chronic back pain"], languages=["ku"], age=45, gender="male", max_distance_km=3,
           digital_access="phone", needs_wheelchair_access=False, max_cost="free"),
      "pain cultural_group social_group walking_sport esol employability",
      "refugee_support form_filling gentle_exercise", "pain cultural_group refugee_support"),
    P("D24", "Woman, 64, Pollokshields, speaks Bengali only, cares for her husband after his stroke, arthritis", "Pollokshields",
      dict(needs={"self_care": 2, "social_relationships": 3},
           goals="I look after my husband after his stroke. I never leave the house except for the shops. I used to love sewing.",
           conditions=["arthritis"], languages=["bn"], age=64, gender="female", max_distance_km=2,
           digital_access="phone", needs_wheelchair_access=False, max_cost="free"),
      "carers navigator appointment_support form_filling crafts cultural_group social_group befriending",
      "chair_exercise self_management", "carers cultural_group arthritis"),
    P("D25", "Non-binary person, 30, Partick, anxiety, wants somewhere calm and creative", "Partick",
      dict(needs={"mental_wellbeing": 2, "social_relationships": 3},
           goals="My anxiety stops me going to things. I'd like somewhere calm and welcoming where I can meet people, maybe something creative.",
           conditions=["generalised anxiety disorder"], languages=["en"], age=30, gender="other", max_distance_km=4,
           digital_access="online", needs_wheelchair_access=False, max_cost="low_cost"),
      "anxiety peer_support mindfulness arts social_group lgbt",
      "yoga crafts choir volunteering counselling gardening", "lgbt"),
    P("D26", "GP preview: money worries, Toryglen, no age or gender recorded", "Toryglen",
      dict(needs={"money": 2}, goals="", conditions=[], languages=["en"], max_distance_km=5,
           digital_access="online", needs_wheelchair_access=False, max_cost="paid"),
      "welfare_rights benefits_check debt_advice food_bank fuel_advice pantry credit_union budgeting",
      "form_filling community_meal housing_advice"),
    P("D27", "Man, 59, Shettleston, heart attack in the summer, finished cardiac rehab, nervous exercising alone", "Shettleston",
      dict(needs={"managing_symptoms": 2, "lifestyle": 3, "mental_wellbeing": 4},
           goals="I had a heart attack in the summer and finished cardiac rehab. I want to keep up the exercise but I'm nervous doing it on my own.",
           conditions=["coronary heart disease"], languages=["en"], age=59, gender="male", max_distance_km=4,
           digital_access="online", needs_wheelchair_access=False, max_cost="low_cost"),
      "cardiac walking walking_sport gentle_exercise anxiety mindfulness peer_support", "weight healthy_eating cooking", "cardiac"),
    P("D28", "Mother, 37, Royston, damp flat, children with chest infections, heating bills, telephone only", "Royston",
      dict(needs={"living_conditions": 2, "money": 3, "social_relationships": 6},
           goals="Our flat is soaking with damp and the kids keep getting chest infections. The landlord won't do anything and the heating costs a fortune.",
           conditions=["asthma"], languages=["en"], age=37, gender="female", max_distance_km=3,
           digital_access="phone", needs_wheelchair_access=False, max_cost="free"),
      "housing_advice tenant_support home_repairs fuel_advice welfare_rights benefits_check pantry food_bank",
      "parent_group", "parent_group"),
    P("D29", "Widower, 84, Pollok, hard of hearing, COPD, can't manage buses, telephone only", "Pollok",
      dict(needs={"social_relationships": 1, "mental_wellbeing": 3, "self_care": 4},
           goals="My wife died two years ago and I've got nobody to talk to most days. My hearing's bad and I can't manage the buses to the hospital any more.",
           conditions=["hearing loss", "COPD"], languages=["en"], age=84, gender="male", max_distance_km=2,
           digital_access="phone", needs_wheelchair_access=False, max_cost="low_cost"),
      "befriending phone_befriending lunch_club social_group older_people bereavement hospital_transport community_transport appointment_support",
      "breathing chair_exercise falls home_safety", "breathing"),
    P("D30", "Woman, 50, Calton, long Covid for a year, off work", "Calton",
      dict(needs={"managing_symptoms": 2, "work_volunteering": 3, "mental_wellbeing": 4},
           goals="Long Covid has flattened me for a year. I want to learn to manage my energy and work out how to get back to my job.",
           conditions=["long COVID"], languages=["en"], age=50, gender="female", max_distance_km=4,
           digital_access="online", needs_wheelchair_access=False, max_cost="paid"),
      "fatigue self_management employability training mindfulness peer_support anxiety counselling",
      "yoga menopause", "fatigue menopause"),
    P("D31", "Man, 70, Cranhill, wheelchair user after an amputation, diabetes, stuck at home, telephone only", "Cranhill",
      dict(needs={"social_relationships": 2, "managing_symptoms": 3, "living_conditions": 4},
           goals="Since I lost my leg I'm stuck in the house. I'd like to get out to a club and need help getting about and making the house work for the wheelchair.",
           conditions=["type 2 diabetes", "below-knee amputation"], languages=["en"], age=70, gender="male",
           max_distance_km=3, digital_access="phone", needs_wheelchair_access=True, max_cost="free"),
      "social_group lunch_club diabetes community_transport adaptations befriending",
      "chair_exercise older_people home_safety digital_skills", "diabetes"),
    P("D32", "Young man, 24, Barmulloch, autistic, no friends since school, likes fixing things", "Barmulloch",
      dict(needs={"social_relationships": 2, "work_volunteering": 3},
           goals="I don't have any friends since school. I like fixing things and computers. I'd like to do something useful.",
           conditions=["autism"], languages=["en"], age=24, gender="male", max_distance_km=4,
           digital_access="online", needs_wheelchair_access=False, max_cost="free"),
      "social_group shed gardening volunteering digital_skills training employability", "walking_sport peer_support"),
    P("D33", "Woman, 60, Toryglen, newly diagnosed type 2 diabetes, wants to lose weight", "Toryglen",
      dict(needs={"managing_symptoms": 2, "lifestyle": 2},
           goals="I've just been told I've got type 2 diabetes. I want to understand what to eat and lose some weight before it gets worse.",
           conditions=["type 2 diabetes"], languages=["en"], age=60, gender="female", max_distance_km=3,
           digital_access="online", needs_wheelchair_access=False, max_cost="low_cost"),
      "diabetes weight healthy_eating cooking walking swimming",
      "self_management gentle_exercise chair_exercise", "diabetes"),
    P("D34", "Man, 47, Bridgeton, heart failure, smoker, off work sick, unsure what he can claim, telephone only", "Bridgeton",
      dict(needs={"lifestyle": 2, "money": 3, "managing_symptoms": 4},
           goals="The cardiologist says I have to stop smoking now. I'm off work sick and I don't know what I can claim.",
           conditions=["heart failure"], languages=["en"], age=47, gender="male", max_distance_km=3,
           digital_access="phone", needs_wheelchair_access=False, max_cost="free"),
      "stop_smoking welfare_rights benefits_check cardiac",
      "debt_advice fuel_advice food_bank walking employability", "cardiac"),
    P("D35", "Retired woman, 71, Gorbals, wants to feel useful and learn to use her new tablet", "Gorbals",
      dict(needs={"work_volunteering": 3, "social_relationships": 4, "self_care": 5},
           goals="I retired and I miss being useful. My grandson set me up with a tablet but I don't know how to use it.",
           conditions=["hypertension"], languages=["en"], age=71, gender="female", max_distance_km=3,
           digital_access="online", needs_wheelchair_access=False, max_cost="free"),
      "volunteering digital_skills training social_group choir lunch_club gardening", "arts"),
    P("D36", "Man, 55, Yoker, back injury at work, off for months, money run out, telephone only", "Yoker",
      dict(needs={"money": 2, "managing_symptoms": 3, "work_volunteering": 4},
           goals="I hurt my back at work and I've been off for months. The money's run out and the pain's getting me down.",
           conditions=["chronic back pain"], languages=["en"], age=55, gender="male", max_distance_km=4,
           digital_access="phone", needs_wheelchair_access=False, max_cost="free"),
      "welfare_rights benefits_check debt_advice pain employability",
      "low_mood arthritis gentle_exercise swimming food_bank listening", "pain"),
    P("D37", "Woman, 38, Sighthill, speaks Arabic only, alone at home all day, online", "Sighthill",
      dict(needs={"social_relationships": 2, "work_volunteering": 3},
           goals="I am alone at home all day. I want to learn English and have friends.",
           conditions=[], languages=["ar"], age=38, gender="female", max_distance_km=3,
           digital_access="online", needs_wheelchair_access=False, max_cost="free"),
      "social_group cultural_group esol employability", "walking parent_group befriending refugee_support crafts",
      "cultural_group refugee_support"),
    P("D38", "Woman, 79, Cardonald, caring day and night for her husband with dementia, telephone only", "Cardonald",
      dict(needs={"self_care": 2, "mental_wellbeing": 3, "social_relationships": 4},
           goals="My husband has dementia and I'm with him all day and night. I love him but I'm worn out and I've nobody to talk to about it.",
           conditions=["hypertension"], languages=["en"], age=79, gender="female", max_distance_km=3,
           digital_access="phone", needs_wheelchair_access=False, max_cost="free"),
      "carers counselling listening peer_support befriending social_group lunch_club",
      "crafts adaptations home_safety", "carers"),
    P("D39", "Man, 35, Anderston, sofa-surfing after a break-up, waiting for Universal Credit, telephone only", "Anderston",
      dict(needs={"living_conditions": 1, "money": 2, "mental_wellbeing": 4},
           goals="I'm sofa-surfing since my relationship ended and I've got nothing till my Universal Credit comes through.",
           conditions=["depression"], languages=["en"], age=35, gender="male", max_distance_km=3,
           digital_access="phone", needs_wheelchair_access=False, max_cost="free"),
      "housing_advice homelessness food_bank welfare_rights community_meal benefits_check low_mood peer_support listening counselling",
      "employability recovery pantry", "homelessness"),
    P("D40", "Young mother, 27, Priesthill, low mood since her daughter was born, online", "Priesthill",
      dict(needs={"mental_wellbeing": 2, "social_relationships": 3},
           goals="Since my daughter was born I feel flat and alone. I'd like to meet other mums and talk to someone about how I'm feeling.",
           conditions=["postnatal depression"], languages=["en"], age=27, gender="female", max_distance_km=3,
           digital_access="online", needs_wheelchair_access=False, max_cost="free"),
      "parent_group peer_support low_mood counselling anxiety mindfulness social_group", "walking cooking",
      "parent_group"),
    P("D41", "Man, 66, Dennistoun, COPD, uses a wheelchair outdoors, online", "Dennistoun",
      dict(needs={"managing_symptoms": 2, "social_relationships": 3},
           goals="COPD means I use a wheelchair outside now. I'd like a singing or breathing group I can actually get into.",
           conditions=["COPD"], languages=["en"], age=66, gender="male", max_distance_km=5,
           digital_access="online", needs_wheelchair_access=True, max_cost="paid"),
      "breathing singing choir social_group befriending", "chair_exercise self_management", "breathing"),
    P("D42", "Man, 50, Govanhill, speaks Slovak only, stuck in agency work, telephone only", "Govanhill",
      dict(needs={"work_volunteering": 2, "money": 3},
           goals="I want a proper job, not agency work. I need help with the CV and to understand my rights.",
           conditions=[], languages=["sk"], age=50, gender="male", max_distance_km=3,
           digital_access="phone", needs_wheelchair_access=False, max_cost="low_cost"),
      "employability training welfare_rights benefits_check",
      "esol debt_advice form_filling cultural_group navigator", "cultural_group"),
]

PROFILE_FIELDS = ("needs", "goals", "conditions", "languages", "age", "gender", "location", "max_distance_km",
                  "digital_access", "needs_wheelchair_access", "max_cost")


def load() -> tuple[list[dict], dict[str, set[str]], dict[str, tuple[float, float]]]:
    with open(DEMO, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with open(TOPICS, newline="", encoding="utf-8") as fh:
        topics = {r["id"]: set(r["topics"].split(";")) for r in csv.DictReader(fh)}
    with open(GAZETTEER, newline="", encoding="utf-8") as fh:
        places = {r["name"]: (float(r["latitude"]), float(r["longitude"])) for r in csv.DictReader(fh)
                  if r["kind"] == "neighbourhood"}
    return rows, topics, places


def main() -> int:
    rows, topics, places = load()
    missing = [r["id"] for r in rows if r["id"] not in topics]
    if missing:
        raise SystemExit(f"listings without topics: {missing[:5]}; rerun scripts/make_demo_directory.py")
    known = set().union(*topics.values())
    rng = random.Random(SEED)
    lines, problems = [], []
    print(f"{'id':<4} {'eligible':>8} {'grade 2':>7} {'grade 1':>7}  excluded by rule")
    for case in CASES:
        unknown = (set(case["main"]) | set(case["lesser"]) | set(case["belongs"])) - known
        if unknown:
            problems.append(f"{case['id']}: topics not in the directory: {sorted(unknown)}")
        lat, lon = places[case["place"]]
        # A few hundred metres from the neighbourhood's centre, so nobody sits exactly on it.
        lat += rng.uniform(-0.003, 0.003)
        lon += rng.uniform(-0.005, 0.005)
        profile = dict(case["profile"])
        profile["location"] = {"latitude": round(lat, 4), "longitude": round(lon, 4)}
        profile = {k: profile[k] for k in PROFILE_FIELDS if k in profile}
        relevant, excluded, eligible = {}, {}, 0
        for r in rows:
            broken = breaks_a_rule(r, profile)
            if broken:
                excluded[broken] = excluded.get(broken, 0) + 1
                continue
            eligible += 1
            g = grade(topics[r["id"]], case)
            if g:
                relevant[r["id"]] = g
        n2 = sum(g == 2 for g in relevant.values())
        n1 = len(relevant) - n2
        print(f"{case['id']:<4} {eligible:>8} {n2:>7} {n1:>7}  {excluded}")
        if n2 < 3:
            problems.append(f"{case['id']}: only {n2} grade-2 listings")
        # A ranking problem: plenty the person could go to that would not help. People who speak no
        # English, or use neither phone nor internet, have a small pool by nature (the review's
        # language and digital barriers), so the bar is lower for them.
        small_pool = "en" not in profile["languages"] or profile["digital_access"] == "none"
        floor = 5 if small_pool else 10
        if eligible - len(relevant) < floor:
            problems.append(f"{case['id']}: fewer than {floor} eligible but irrelevant listings")
        lines.append(json.dumps({"id": case["id"], "persona": case["persona"], "profile": profile,
                                 "relevant": dict(sorted(relevant.items()))}, ensure_ascii=False))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(lines)} profiles")
    summary = {
        "profiles": len(CASES),
        "no English": sum("en" not in c["profile"]["languages"] for c in CASES),
        "digital none": sum(c["profile"]["digital_access"] == "none" for c in CASES),
        "phone only": sum(c["profile"]["digital_access"] == "phone" for c in CASES),
        "wheelchair": sum(c["profile"]["needs_wheelchair_access"] for c in CASES),
        "women / men / other / not given": [sum(c["profile"].get("gender") == g for c in CASES) for g in ("female", "male", "other", None)],
        "aged 18-25": sum(18 <= (c["profile"].get("age") or 0) <= 25 for c in CASES),
        "aged 75+": sum((c["profile"].get("age") or 0) >= 75 for c in CASES),
        "three or more needs": sum(len(c["profile"]["needs"]) >= 3 for c in CASES),
        "max_cost free / low_cost": [sum(c["profile"]["max_cost"] == m for c in CASES) for m in ("free", "low_cost")],
    }
    for k, v in summary.items():
        print(f"  {k}: {v}")
    for p in problems:
        print(f"PROBLEM {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
