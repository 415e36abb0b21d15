"""Write the fictional Glasgow demo directory (`directory/data/demo_directory.csv`).

    python3 scripts/make_demo_directory.py

Stdlib only and deterministic (fixed seed): running it again writes the same bytes, so listing ids
(SP0001...) are stable. Everything in it is invented: organisations, venues, phone numbers in the
unused 0141 000 range, example.org addresses. Only the neighbourhoods, their postcode districts and
approximate centres are real (the "Deep End" practice areas of Glasgow).

It also writes `bench/data/demo_topics.csv` (id,topics): the fine-grained topics each listing was
made from ("choir", "debt_advice", ...). They are hidden from the product and used only by
`scripts/make_devset.py` to judge relevance for the quality benchmark.

The catalogue below is a list of listing kinds; each kind has several wordings and the
neighbourhoods it is held in, with per-listing overrides (language, gender, age, cost, delivery).
A check at the end prints the coverage figures the demo is meant to have and fails loudly if a
listing would break a rule of contract section 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_CSV = ROOT / "directory" / "data" / "demo_directory.csv"
OUT_TOPICS = ROOT / "bench" / "data" / "demo_topics.csv"
SEED = 20261124
TODAY = dt.date(2026, 11, 24)

# Contract section 2, in the order of directory/records.py CSV_COLUMNS (kept here: stdlib only).
CSV_COLUMNS = (
    "id", "name", "organisation", "description", "categories", "domains", "languages",
    "interpreter_available", "min_age", "max_age", "gender", "delivery", "cost", "address",
    "postcode", "latitude", "longitude", "wheelchair_accessible", "schedule", "phone", "email",
    "website", "last_verified", "status",
)
DOMAINS = ("lifestyle", "self_care", "managing_symptoms", "work_volunteering", "money",
           "living_conditions", "social_relationships", "mental_wellbeing")
DELIVERY = ("in_person", "phone", "online")

# ---- places: real neighbourhoods, real postcode districts, approximate real centres ---------------
# key: (name, district, latitude, longitude, plausible street names, a nearby park or green space)
PLACES: dict[str, tuple[str, str, float, float, tuple[str, ...], str]] = {
    "govan": ("Govan", "G51", 55.8626, -4.3108, ("Govan Road", "Langlands Road", "Burleigh Street", "Golspie Street"), "Elder Park"),
    "ibrox": ("Ibrox", "G51", 55.8535, -4.3050, ("Paisley Road West", "Edmiston Drive", "Copland Road", "Brand Street"), "Bellahouston Park"),
    "govanhill": ("Govanhill", "G42", 55.8370, -4.2590, ("Victoria Road", "Allison Street", "Calder Street", "Cathcart Road"), "Queen's Park"),
    "pollokshields": ("Pollokshields", "G41", 55.8430, -4.2790, ("Albert Drive", "Maxwell Road", "Nithsdale Road", "Kenmure Street"), "Maxwell Park"),
    "possilpark": ("Possilpark", "G22", 55.8860, -4.2575, ("Saracen Street", "Balmore Road", "Allander Street", "Hawthorn Street"), "the canal towpath"),
    "springburn": ("Springburn", "G21", 55.8815, -4.2320, ("Springburn Road", "Gourlay Street", "Flemington Street", "Wellfield Street"), "Springburn Park"),
    "easterhouse": ("Easterhouse", "G34", 55.8610, -4.1090, ("Westerhouse Road", "Shandwick Street", "Lochdochart Road", "Bogbain Road"), "Bishop's Loch"),
    "castlemilk": ("Castlemilk", "G45", 55.8100, -4.2250, ("Castlemilk Drive", "Dougrie Road", "Ardencraig Road", "Machrie Road"), "Castlemilk Park"),
    "drumchapel": ("Drumchapel", "G15", 55.9050, -4.3640, ("Kinfauns Drive", "Drumry Road East", "Hecla Avenue", "Garscadden Road"), "Drumchapel Park"),
    "parkhead": ("Parkhead", "G31", 55.8505, -4.1980, ("Westmuir Street", "Tollcross Road", "Gallowgate", "Burgher Street"), "Tollcross Park"),
    "dennistoun": ("Dennistoun", "G31", 55.8600, -4.2170, ("Duke Street", "Alexandra Parade", "Roslea Drive", "Craigpark Drive"), "Alexandra Park"),
    "maryhill": ("Maryhill", "G20", 55.8930, -4.2880, ("Maryhill Road", "Gairbraid Avenue", "Shawpark Street", "Garrioch Road"), "the Forth and Clyde Canal"),
    "ruchill": ("Ruchill", "G20", 55.8840, -4.2760, ("Ruchill Street", "Bilsland Drive", "Panmure Street"), "Ruchill Park"),
    "partick": ("Partick", "G11", 55.8700, -4.3060, ("Dumbarton Road", "Crow Road", "Peel Street", "Beith Street"), "Victoria Park"),
    "gorbals": ("Gorbals", "G5", 55.8480, -4.2510, ("Cumberland Street", "Crown Street", "Ballater Street", "Caledonia Road"), "Richmond Park"),
    "calton": ("Calton", "G40", 55.8535, -4.2370, ("Gallowgate", "London Road", "Abercromby Street", "Stevenson Street"), "Glasgow Green"),
    "bridgeton": ("Bridgeton", "G40", 55.8490, -4.2260, ("Main Street", "Dalmarnock Road", "Orr Street", "Landressy Street"), "Glasgow Green"),
    "shettleston": ("Shettleston", "G32", 55.8520, -4.1620, ("Shettleston Road", "Wellshot Road", "Amulree Street", "Pettigrew Street"), "Tollcross Park"),
    "tollcross": ("Tollcross", "G32", 55.8450, -4.1780, ("Tollcross Road", "Causewayside Street", "Braidfauld Street"), "Tollcross Park"),
    "pollok": ("Pollok", "G53", 55.8230, -4.3430, ("Braidcraft Road", "Cowglen Road", "Linthaugh Road", "Brockburn Road"), "Pollok Country Park"),
    "priesthill": ("Priesthill", "G53", 55.8150, -4.3350, ("Priesthill Road", "Househillmuir Road", "Glenmuir Drive"), "the Levern Water path"),
    "toryglen": ("Toryglen", "G42", 55.8260, -4.2410, ("Prospecthill Road", "Toryglen Road", "Glenmore Avenue"), "King's Park"),
    "cranhill": ("Cranhill", "G33", 55.8640, -4.1670, ("Bellrock Street", "Stepps Road", "Longstone Road"), "Hogganfield Loch"),
    "barmulloch": ("Barmulloch", "G21", 55.8840, -4.2130, ("Wallacewell Road", "Broomfield Road", "Quarrywood Road"), "Hogganfield Loch"),
    "royston": ("Royston", "G21", 55.8680, -4.2280, ("Royston Road", "Roystonhill", "Charles Street", "Millburn Street"), "Sighthill Park"),
    "sighthill": ("Sighthill", "G21", 55.8720, -4.2400, ("Pinkston Road", "Fountainwell Road", "Keppochhill Road"), "Sighthill Park"),
    "anderston": ("Anderston", "G3", 55.8620, -4.2700, ("Argyle Street", "Elliot Street", "Cheapside Street", "Warroch Street"), "Kelvingrove Park"),
    "yoker": ("Yoker", "G14", 55.8830, -4.3840, ("Dumbarton Road", "Yoker Mill Road", "Kelso Street"), "the Clyde walkway"),
    "scotstoun": ("Scotstoun", "G14", 55.8800, -4.3470, ("Dumbarton Road", "Earl Street", "Danes Drive"), "Victoria Park"),
    "knightswood": ("Knightswood", "G13", 55.8920, -4.3500, ("Knightswood Road", "Alderman Road", "Lincoln Avenue", "Archerhill Road"), "Knightswood Park"),
    "cardonald": ("Cardonald", "G52", 55.8490, -4.3420, ("Paisley Road West", "Berryknowes Road", "Tweedsmuir Road", "Hillington Road"), "Bellahouston Park"),
}

VENUE_NOUNS = ("Heron", "Lamplighter", "Thistle", "Kelpie", "Bluebell", "Foundry", "Ropeworks", "Weavers",
               "Kingfisher", "Anchor", "Tramshed", "Cooperage", "Rowanbank", "Saltings", "Wren", "Clydeview",
               "Shipwright", "Larkspur", "Millrace", "Tannery", "Lintie", "Puffer", "Crannog", "Whinstone")
VENUE_PATTERNS = ("{place} Community Hub", "the {noun} Rooms", "{noun} Hall", "{place} Neighbourhood Centre",
                  "the {noun} Centre", "{place} Family Centre", "{noun} House", "the {place} Community Flat")
ORG_NOUNS = ("Lamplighters", "Tenement", "Kelpie", "Steeple", "Bluebell", "Riverside", "Close", "Backcourt",
             "Shipyard", "Heronsgate", "Canal", "Thistle", "Tramline", "Millbrae", "Foundry", "Whinstone")
ORG_TYPES = ("Trust", "Forum", "Network", "Project", "Collective", "Association")
DAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays")
LANG_NAMES = {"en": "English", "ur": "Urdu", "pa": "Punjabi", "ar": "Arabic", "pl": "Polish", "zh": "Mandarin",
              "ro": "Romanian", "sk": "Slovak", "bn": "Bengali", "so": "Somali", "fa": "Farsi", "ti": "Tigrinya",
              "ku": "Kurdish", "hi": "Hindi"}

# ---- how to join, by delivery --------------------------------------------------------------------
JOIN = {
    "in_person": (
        "Just turn up.", "Drop in, no need to book.", "Phone to book your first session.",
        "Self-referral welcome: call or email us.", "New members are welcome any week.",
        "Your link worker or GP practice can refer you, or phone us yourself.",
        "Places are limited, so ring ahead.", "Come along for a taster session first if you like.",
        "Email or phone and a volunteer will meet you at the door on your first visit.",
    ),
    "phone": (
        "Call the number below and leave a message; we call back within two working days.",
        "Ring us on weekdays, or ask your link worker to refer you.",
        "Phone us to get started; calls are free from mobiles and landlines.",
        "Refer yourself by phone, or a health or social care worker can refer you.",
    ),
    "online": (
        "Sign up on the website and we'll email you a joining link.",
        "Register online; sessions run on Zoom and we can talk you through setting it up.",
        "Book a place through our website.", "Email us for the link; cameras are optional.",
    ),
}

PHONE_HOURS = ("Mon-Fri 09:00-17:00", "Mon-Thu 09:00-16:30, Fri 09:00-15:30", "Weekdays 10:00-16:00",
               "Mon, Wed, Fri 10:00-14:00", "Mon-Fri 09:30-16:30")


def K(key, topics, domains, names, orgs, cats, what, at, sched=None, delivery="in_person", cost="free",
      langs="en", gender="", age=(None, None), interp=False, join=None):
    """One kind of listing: wordings to vary over and where (and how) it is offered."""
    return dict(key=key, topics=topics, domains=domains, names=names, orgs=orgs, cats=cats, what=what, at=at,
                sched=sched, delivery=delivery, cost=cost, langs=langs, gender=gender, age=age, interp=interp,
                join=join)


# Per-listing overrides: (place key or None, {field: value}). Fields: name, org, what, langs, gender,
# age, cost, delivery, interp, wc, status, sched, topics (replace), domains (replace), q (qualifier on/off).
def o(place, **kw):
    return (place, kw)


WEEKLY = ("{day} 10:00-12:00", "{day} 10:30-12:00", "{day} 13:30-15:00", "{day} 14:00-16:00", "{day} 18:00-19:30")
MORNING = ("{day} 10:00-11:00", "{day} 10:30-11:30", "{day} 11:00-12:00", "{day} 09:30-10:30")
COURSE = ("Six weekly sessions, {day} 13:00-15:00; new courses start every term",
          "Eight-week course, {day} 10:00-12:00; rolling start dates",
          "Four weekly sessions, {day} 18:00-20:00; next course announced on the website")

KINDS = [
    # ======================================== lifestyle ========================================
    K("walk", "walking;physical_activity", "lifestyle;social_relationships",
      ["{place} Health Walk", "Stride Out {place}", "{place} Wednesday Walkers", "{park} Strollers",
       "Step by Step {place}", "{place} Walk and Talk", "Footloose {place}", "{place} Morning Walkers", "Canal Amblers"],
      ["{place} Walking Network", "Greenways Glasgow Walks", "{local}"], "walking;health walk",
      ["A gentle, led walk of about an hour around {park}, at the pace of the slowest walker, with a cuppa back at {venue} afterwards.",
       "Short, friendly walks on flat paths for anyone who wants to get a bit more active, with trained volunteer walk leaders at the front and back.",
       "Our walk leaders take a small group out from {venue} for 30 to 60 minutes; it suits people building up their fitness after an illness or a spell in hospital.",
       "A walking group that explores {park} and nearby green spaces, with a short route and a longer one every week so nobody is left behind.",
       "Brisk-ish walks and plenty of blether: we meet at the gates of {park} and finish at a cafe for anyone who wants to stay on.",
       "Weekly health walks of one to three miles on pavements and park paths, with benches on the way and a walk leader trained in first aid.",
       "Get out in the fresh air with a sociable walking group; routes change with the seasons and there is always a shorter loop.",
       "An early walk before the day gets busy, around {park} and back, for people who would rather not walk on their own.",
       "Flat, step-free strolls along {park} for people who are breathless or slow on their feet; rests whenever anyone needs one."],
      ["govan", "castlemilk", "drumchapel", "easterhouse", o("springburn", age=(50, None)), o("maryhill", wc=True)],
      sched=MORNING),
    K("walk_women", "walking;physical_activity;social_group;cultural_group", "lifestyle;social_relationships",
      ["South Asian Women's Walking Group", "Sisters Stepping Out", "Arabic Women's Walk and Talk"],
      ["Southside Sisters Network", "{local}", "Al-Nour Women's Circle"], "walking;women",
      ["A women-only walking group around {park}, led by volunteers who speak Urdu and Punjabi; walks are slow and sociable and finish with chai at {venue}.",
       "Gentle walks for South Asian women who want to get more active in a relaxed, women-only group; the walk leaders speak Urdu, Punjabi and English.",
       "Walks in {park} for Arabic-speaking women, at an easy pace with plenty of chat; newcomers to Glasgow are very welcome."],
      [o("pollokshields", langs="ur;pa;en"), o("govanhill", langs="ur;pa;en"), o("springburn", langs="ar;en")],
      sched=MORNING, gender="female"),
    K("chair", "chair_exercise;gentle_exercise;physical_activity", "lifestyle;managing_symptoms",
      ["Chair Fit {place}", "Seated Strength", "Sit and Be Fit {place}", "Move It From Your Chair", "Chair Exercise Club",
       "Seated Movement {place}", "Chair Aerobics", "Gentle Chair Exercise"],
      ["{local}", "Glasgow Gentle Movers", "Clydeside Active Ageing"], "chair exercise;gentle exercise",
      ["Seated exercises to music that build strength, balance and stamina without getting out of your chair, led by a qualified instructor.",
       "A gentle chair-based class for people with limited mobility, arthritis or breathlessness; every move can be done sitting down.",
       "Fun, low-impact exercise from a chair, followed by tea and a blether, for anyone who finds standing classes too much.",
       "Chair-based movement to keep joints supple and muscles strong, with seated and standing options and plenty of rests.",
       "Exercise in a chair at your own pace, with an instructor who adapts every move for people with long-term conditions.",
       "A seated exercise class for women held in Urdu and Punjabi, with music and a friendly, private space.",
       "Seated stretches, light weights and a bit of laughter: a class for people getting back into moving after illness.",
       "Half an hour of chair exercise, then tea; suitable if you use a walking aid or get breathless."],
      [o("dennistoun", age=(60, None)), "castlemilk", o("easterhouse", age=(60, None)), "knightswood",
       o("pollokshields", langs="ur;pa;en", gender="female", v=5), o("possilpark", v=4)],
      sched=MORNING, cost="low_cost"),
    K("chair_online", "chair_exercise;gentle_exercise;physical_activity", "lifestyle;managing_symptoms",
      ["Chair Exercise Live", "Seated Fitness at Home"], ["Glasgow Gentle Movers", "Armchair Active"], "chair exercise;online",
      ["A live seated exercise class on Zoom that you can join from your living room; the instructor watches and adapts moves for you.",
       "Live and recorded chair workouts online, with a new video every week and a live question-and-answer slot on Fridays."],
      [None, o(None, cost="free")], sched=("{day} 11:00-11:45",), delivery="online", cost="low_cost"),
    K("walking_football", "walking_sport;physical_activity", "lifestyle;social_relationships",
      ["Walking Football {place}", "Over-50s Walking Football", "Walking Netball {place}", "Kurdish Men's Football and Social"],
      ["{local}", "Clydeside Walking Sports", "Kurdish Community Association Glasgow"], "walking football;sport",
      ["Football at walking pace: no running, no tackling, lots of laughs, on an indoor pitch at {venue}.",
       "A walking football session for anyone over 50 who misses the game; bibs and balls provided, just bring trainers.",
       "Netball at walking pace for women of any fitness, with a social half hour after the game.",
       "A weekly five-a-side kickabout and tea for Kurdish men, held in Kurdish with some Arabic and Farsi; a chance to meet others and keep fit."],
      [o("parkhead", gender="male", age=(50, None)), o("toryglen", age=(50, None)), o("knightswood", gender="female"),
       o("ibrox", gender="male", langs="ku;ar;fa", age=(18, None), cost="free",
         topics="walking_sport;physical_activity;social_group;cultural_group")],
      sched=("{day} 14:00-15:30", "{day} 18:30-20:00"), cost="low_cost"),
    K("cooking", "cooking;healthy_eating;budgeting", "lifestyle;money",
      ["Cook on a Budget {place}", "Eat Well for Less", "Batch Cooking Club", "Family Cookery {place}", "Soup and Stovies Club",
       "Kitchen Confidence", "Healthy Plates {place}"],
      ["{local}", "Tattie Pot Cooking Project", "Glasgow Good Food Kitchens"], "cooking;healthy eating",
      ["A six-week cookery course showing how to make tasty, healthy meals for under a pound a portion; you cook, eat together and take home a recipe bag.",
       "Learn to cook simple family meals from scratch on a tight budget, with tips on batch cooking, slow cookers and keeping fuel costs down.",
       "Hands-on cooking sessions for adults who want to eat more healthily and waste less food; all ingredients are provided.",
       "Cook, eat and chat: a friendly kitchen group making soups, stews and bakes from low-cost store-cupboard ingredients.",
       "Get confident in the kitchen with a trained cook; each week covers a new budget recipe and you leave with a portion to take home.",
       "Healthy cooking for people with diabetes or heart conditions: less salt, sugar and fat without losing flavour, on a small budget.",
       "A practical course on shopping, meal planning and cooking cheaply, run in a community kitchen."],
      ["govan", "possilpark", "castlemilk", "royston", o("priesthill", cost="low_cost")],
      sched=COURSE),
    K("cooking_special", "cooking;healthy_eating", "lifestyle;social_relationships",
      ["Men Who Cook {place}", "Cook Along Online", "Healthy Desi Kitchen", "Men's Kitchen Night"],
      ["{local}", "Glasgow Good Food Kitchens", "Southside Sisters Network"], "cooking;healthy eating",
      ["A relaxed cooking night for men of any age who never learned to cook, or who now cook for one; you make a meal and eat it together.",
       "Cook along live from your own kitchen with a community chef; the ingredients list for each cheap recipe is sent out the week before.",
       "Healthier versions of favourite South Asian dishes, with less oil, salt and sugar, for women living with diabetes or high blood pressure; sessions in Urdu, Punjabi and Bengali.",
       "Men's cooking and blether: learn a new meal each week and sit down to eat it together."],
      [o("easterhouse", gender="male"), o(None, delivery="online"),
       o("govanhill", langs="ur;pa;bn;en", gender="female", topics="cooking;healthy_eating;diabetes;social_group;cultural_group",
         domains="lifestyle;managing_symptoms"),
       o("calton", gender="male", cost="low_cost")],
      sched=("{day} 18:00-20:00", "{day} 10:30-13:00")),
    K("stop_smoking", "stop_smoking", "lifestyle",
      ["Quit Your Way {place}", "Stop Smoking Drop-in", "Smokefree Support Line", "Quit Together Online", "Clear Air Group {place}"],
      ["{local}", "Clearbreath Glasgow", "Clearbreath Glasgow"], "stop smoking;quit support",
      ["Weekly one-to-one and group support to stop smoking, with carbon monoxide checks and help getting nicotine replacement.",
       "A friendly drop-in for anyone who wants to cut down or quit smoking or vaping; an adviser helps you make a plan that suits you.",
       "Telephone support to stop smoking: a trained adviser calls you every week for twelve weeks to keep you going.",
       "Video sessions and a private online group for people stopping smoking, with advisers on hand in the evenings.",
       "A small quit-smoking group where people support each other week by week, with an adviser and free stop-smoking aids."],
      [o("springburn", delivery="in_person;phone", interp=True), o(None, delivery="phone", interp=True, v=2),
       o(None, delivery="online", v=3), o("parkhead", delivery="in_person;phone", v=4)],
      sched=("{day} 09:00-12:00", "{day} 16:00-19:00")),
    K("weight", "weight;healthy_eating;physical_activity", "lifestyle;managing_symptoms",
      ["Healthy Weight Club {place}", "Lighter Living", "Weigh In, Chat On", "Shape Up Online", "Men's Weight Club"],
      ["{local}", "Lighter Living Glasgow", "Lighter Living Glasgow"], "weight management;healthy eating",
      ["A supportive weight-management group with a weekly weigh-in, food tips and light exercise; no shaming, just small steps.",
       "A twelve-week healthy-weight programme covering eating, activity and motivation, in a small friendly group.",
       "Meet others who want to lose a bit of weight for their health: a weigh-in, a short talk and a walk together.",
       "An online weight-management course with weekly video check-ins and a food diary app.",
       "Weight loss the blokes' way: a weigh-in, a kickabout or a walk, and a chat about food, for men who want to get healthier."],
      [o("shettleston", cost="paid"), "barmulloch", o(None, delivery="online", cost="paid", v=3),
       o("ibrox", gender="male", cost="low_cost", v=4)],
      sched=("{day} 18:00-19:30", "{day} 10:00-11:30")),
    K("yoga", "yoga;gentle_exercise;mindfulness", "lifestyle;mental_wellbeing",
      ["Gentle Yoga {place}", "Yoga for Every Body", "Chair Yoga Online"], ["{local}", "Lotus Tenement Yoga", "Lotus Tenement Yoga"],
      "yoga;gentle exercise",
      ["Slow, gentle yoga for beginners and people with stiff joints, with mats and blocks provided.",
       "A calm yoga class that suits people living with pain, low mood or long-term conditions; every pose has an easier version.",
       "Chair yoga streamed live so you can stretch and breathe from home; sessions are recorded for a week."],
      ["partick", o(None, delivery="online", v=2)], sched=("{day} 18:00-19:00", "{day} 11:00-12:00"), cost="paid"),
    K("tai_chi", "tai_chi;gentle_exercise;balance", "lifestyle;managing_symptoms",
      ["Tai Chi for Health", "Tai Chi in the Park", "Chinese Elders' Tai Chi"], ["{local}", "Flowing Crane Tai Chi", "Glasgow Chinese Elders' Fellowship"],
      "tai chi;balance",
      ["Slow, flowing tai chi movements that help balance, breathing and calm; suitable for beginners and older people.",
       "Tai chi outdoors in {park} in good weather and indoors at {venue} when it rains; good for balance and stiff joints.",
       "A morning tai chi group for older Chinese people, taught in Mandarin, followed by tea and a chat."],
      [o("gorbals", cost="paid"), "castlemilk",
       o("anderston", langs="zh;en", age=(55, None), topics="tai_chi;gentle_exercise;balance;cultural_group;social_group")],
      sched=("{day} 09:30-10:30", "{day} 11:00-12:00"), cost="low_cost"),
    K("swim", "swimming;physical_activity", "lifestyle;managing_symptoms",
      ["Aqua Fit {place}", "Women-only Swim", "Gentle Swim and Aqua"], ["Clydeside Leisure Trust", "Southside Sisters Network", "Clydeside Leisure Trust"],
      "swimming;aqua exercise",
      ["Exercise in warm water that is easy on sore joints and backs, led from the poolside; you do not need to be able to swim.",
       "A women-only swim session with female lifeguards and a screened pool, popular with women who would not use a mixed session.",
       "A quiet pool session with lanes for slow swimmers and a short aqua class, for people with arthritis, pain or weight worries."],
      ["tollcross", o("govanhill", gender="female")],
      sched=("{day} 11:00-12:00", "{day} 19:00-20:00"), cost="low_cost"),
    K("dance", "dance;physical_activity", "lifestyle;social_relationships",
      ["Tea Dance {place}", "Bollywood Dance Fitness", "Dance for Balance"], ["{local}", "Southside Sisters Network", "Twirl Dance Company"],
      "dance;social",
      ["A monthly afternoon tea dance with a live band, tea and cakes; come to dance or just to listen.",
       "An energetic, fun Bollywood dance class for women, with a female instructor; no experience needed.",
       "Gentle dance classes that help balance and confidence on your feet, for people with Parkinson's, after a stroke, or just a bit unsteady."],
      [o("dennistoun", age=(60, None), topics="dance;social_group;older_people"), o("pollokshields", gender="female", langs="en;ur;pa")],
      sched=("{day} 14:00-16:00", "{day} 18:30-19:30"), cost="paid"),
    K("cycling", "cycling;physical_activity", "lifestyle",
      ["Community Bike Library", "Women's Learn to Ride"], ["Two Wheels Southside", "{local}"], "cycling",
      ["Borrow a bike, a helmet and a lock for free for up to a month, and join a short led ride on quiet roads and cycle paths.",
       "Learn to ride a bike, or get back on one, in a women-only group with patient female instructors; bikes provided."],
      ["govanhill", o("parkhead", gender="female")], sched=("{day} 10:00-13:00", "Saturdays 10:00-12:00")),
    K("recovery", "alcohol;recovery;peer_support", "lifestyle;mental_wellbeing",
      ["Recovery Cafe {place}", "Dry Drop-in", "Recovery Circle Online"], ["{local}", "Clean Slate Recovery Network", "Clean Slate Recovery Network"],
      "recovery;alcohol",
      ["A welcoming cafe for people in recovery from alcohol or drugs, their families and anyone cutting down; food, games and peer support.",
       "A peer-led group for people who want to stop or cut down drinking, meeting in a safe, alcohol-free space.",
       "Online recovery meetings every evening for people worried about their drinking, led by people with lived experience."],
      ["calton", "maryhill", o(None, delivery="online")], sched=("{day} 17:00-20:00", "Daily 19:00-20:00")),

    # ======================================== self_care ========================================
    K("meds", "medication_help", "self_care",
      ["Medicines Help Line", "Pill Box Drop-in", "Prescriptions Made Simple"], ["Clydeside Patient Helpers", "{local}", "{local}"],
      "medication;prescriptions",
      ["A phone service where trained volunteers help you understand your medicines, order repeat prescriptions and set up reminders.",
       "Bring your tablets along and a volunteer helps you sort a weekly pill organiser, understand your repeat prescription and prepare questions for your pharmacist.",
       "Help for people juggling several medicines: setting up reminders, filling in repeat forms and getting a medication review."],
      [o(None, delivery="phone", interp=True), "shettleston", o("govan", delivery="in_person;phone")],
      sched=("{day} 10:00-12:00",)),
    K("appointments", "appointment_support", "self_care",
      ["Appointment Buddies {place}", "Health Escort Volunteers", "Appointment Help Line", "Someone With You"],
      ["{local}", "Clydeside Patient Helpers", "Clydeside Patient Helpers"], "appointments;escort",
      ["Volunteers who go with you to hospital or GP appointments, help you remember what was said and get you home again.",
       "A volunteer meets you at home and comes with you to appointments, so you do not have to face them alone.",
       "Phone help to book, change and prepare for health appointments, and to arrange a volunteer to go with you.",
       "Support to get to and through appointments: reading letters, making a list of questions, and company on the day."],
      [o("drumchapel", delivery="in_person;phone"), o(None, delivery="phone", v=2, interp=True), o("possilpark", v=3)],
      sched=("Mon-Fri by arrangement",)),
    K("selfman", "self_management", "self_care;managing_symptoms",
      ["Living Well with Long-term Conditions", "Take Charge Course", "My Health, My Way", "Living Well Online",
       "Self-management Course Online", "Living Well (Interpreted Course)"],
      ["Clydeside Self-management Network", "{local}", "Clydeside Self-management Network"], "self-management;long-term conditions",
      ["A six-week course for people with any long-term condition: pacing, goal-setting, dealing with low mood and talking to your doctor.",
       "A practical group course for living with conditions such as COPD, diabetes, arthritis or heart disease, led by tutors who live with a condition themselves.",
       "Learn tools to manage your health day to day, from action plans to managing fatigue, with others who know what it is like.",
       "The same six-week living-well course, online in small groups with a workbook posted to you.",
       "A self-paced online self-management programme with short videos and a weekly group call.",
       "The living-well course with professional interpreters booked for each session, so people who speak little English can take part."],
      ["partick", "castlemilk", o(None, delivery="online", v=3), o(None, delivery="online", v=4),
       o("govanhill", interp=True, v=5)], sched=COURSE),
    K("carers", "carers;peer_support", "self_care;mental_wellbeing",
      ["{place} Carers' Centre", "Carers' Cafe", "Carers' Support Group", "Young Adult Carers {place}", "Carers' Advice Line",
       "Carers Online Circle", "South Asian Carers' Group", "Dementia Carers' Group"],
      ["{local}", "Kelpie Carers Network", "Kelpie Carers Network"], "carers;support",
      ["Information, advice and a listening ear for anyone looking after a relative, partner or friend, including help with carer's assessments and short breaks.",
       "A monthly cafe where unpaid carers can relax, meet other carers and get advice, while a volunteer keeps the person you care for company.",
       "A support group for carers to share tips and frustrations, with a short talk each month on things like benefits or respite.",
       "Support, trips and time out for young adult carers who look after someone at home.",
       "A phone line for unpaid carers: advice on carer's allowance, breaks and coping, or just someone to talk to.",
       "An online group for carers who cannot easily get out, meeting in the evening after the caring day is done.",
       "A group for South Asian carers held in Urdu, Punjabi and Bengali, with advice on support at home and a chance to share experiences.",
       "For people caring for someone with dementia: practical tips, advice on what help there is, and mutual support."],
      [o("maryhill", delivery="in_person;phone", interp=True), "shettleston", "pollok",
       o("castlemilk", age=(16, 25), delivery="in_person;online"), o(None, delivery="phone", interp=True),
       o(None, delivery="online"), o("pollokshields", langs="ur;pa;bn;en", topics="carers;peer_support;cultural_group")],
      sched=WEEKLY),
    K("forms", "form_filling", "self_care;money",
      ["Form-filling Drop-in", "Paperwork Help Desk", "Forms and Letters Help", "Help with Forms {place}"],
      ["{local}", "{local}", "Tenement Money Advice Partnership"], "forms;paperwork",
      ["Bring the forms and letters you are stuck with; volunteers help you understand them and fill them in, from housing to disability benefits.",
       "Help with paperwork of every kind: benefit forms, blue badge applications, council letters and online forms.",
       "A weekly drop-in where someone sits down with you to read and fill in forms, and helps you write letters.",
       "Friendly help with forms for people who find reading or writing hard, or whose first language is not English."],
      ["govan", "easterhouse", "springburn", o("toryglen", interp=True)], sched=("{day} 10:00-13:00", "{day} 13:00-16:00")),
    K("hospital_transport", "hospital_transport;community_transport", "self_care;living_conditions",
      ["Hospital Transport Booking Line", "Volunteer Car Scheme", "Appointment Minibus"],
      ["Two Rivers Community Transport", "Kindly Wheels Glasgow", "Two Rivers Community Transport"], "transport;hospital",
      ["Door-to-door transport to hospital and clinic appointments for people who cannot use buses; book at least three days ahead.",
       "Volunteer drivers take you to health appointments and wait to bring you home, for a small mileage charge.",
       "A wheelchair-accessible minibus to hospital appointments for people with mobility problems; book by phone."],
      [o(None, interp=True), None, o(None, age=(60, None))], sched=PHONE_HOURS, delivery="phone", cost="low_cost"),
    K("health_mot", "health_checks", "self_care;lifestyle",
      ["Community Health MOT", "Wellbeing Check Drop-in"], ["{local}", "Clydeside Patient Helpers"], "health check",
      ["A free drop-in where a health worker checks your blood pressure, weight and wellbeing and talks through local activities that might help.",
       "Drop in for a friendly health and wellbeing check and a chat about what you want to change; interpreters can be booked."],
      [o("parkhead", interp=True), o("govanhill", interp=True)], sched=("{day} 10:00-13:00",)),

    # ==================================== managing_symptoms ====================================
    K("lung_group", "breathing;peer_support", "managing_symptoms;social_relationships",
      ["{place} Breathe Easy", "Better Breathers", "Lung Friends {place}", "Puff and Blether Club", "Breathe Easy Group"],
      ["Clydeside Breath and Song", "{local}", "Clydeside Breath and Song"], "lung health;COPD;support group",
      ["A support group for people living with COPD and other lung conditions and the people who care for them, with talks, gentle exercise and a cuppa.",
       "Meet others with lung conditions, swap tips on managing breathlessness and enjoy speakers, outings and a good chat.",
       "A friendly monthly group for people with COPD, asthma or bronchiectasis, with breathing tips and a lot of laughter.",
       "Chat, tea and practical ideas for living with breathlessness, for anyone with a lung condition.",
       "Support for people with COPD and their families: breathing exercises, guest speakers and company."],
      ["easterhouse", "castlemilk", "springburn", o("pollok", wc=True)],
      sched=("{day} 13:30-15:30", "First {day} of the month 14:00-16:00")),
    K("lung_singing", "breathing;singing;choir", "managing_symptoms;social_relationships",
      ["Singing for Lung Health {place}", "Breath and Song Choir", "Sing to Breathe", "Lungs Alive Choir", "Singing for Breathing Online"],
      ["Clydeside Breath and Song", "{local}", "Clydeside Breath and Song"], "singing;lung health;COPD",
      ["Singing exercises and songs for people with COPD or other lung conditions, led by a trained practitioner; no singing experience needed.",
       "A choir for people with breathing problems: warm-ups that help breath control, songs everyone knows and tea afterwards.",
       "Singing to strengthen breathing and lift the spirits, for anyone living with a lung condition; sit or stand as you like.",
       "Well-known songs and breathing exercises for people with lung conditions; friendly, relaxed and no auditions.",
       "Singing for lung health from your own home, live online with a trained leader; join with your microphone muted."],
      [o("dennistoun", wc=True), "govan", "shettleston", o(None, delivery="online", v=4)],
      sched=("{day} 13:30-15:00", "{day} 11:00-12:00")),
    K("lung_exercise", "breathing;gentle_exercise;physical_activity", "managing_symptoms;lifestyle",
      ["Breathe and Move", "Active Lungs Class"], ["Clydeside Breath and Song", "{local}"], "exercise;lung health",
      ["An exercise class designed for people with COPD who have finished pulmonary rehab, with an instructor who knows how to work with breathlessness.",
       "Gentle circuits and breathing control for people with lung conditions, to keep up what you learned in rehab."],
      [o("parkhead", wc=True), "cranhill"], sched=MORNING, cost="low_cost"),
    K("diabetes", "diabetes;healthy_eating", "managing_symptoms;self_care",
      ["Diabetes Education Group", "Sugar Wise", "Living with Type 2 Diabetes", "Sugar Group (Urdu and Punjabi)",
       "Diabetes Course Online", "Diabetes Peer Cafe", "Diabetes Talks with Interpreters"],
      ["Clydeside Diabetes Friends", "{local}", "Clydeside Diabetes Friends"], "diabetes;education",
      ["A group course for people with type 2 diabetes about food, activity, medicines and looking after your feet and eyes, led by trained educators.",
       "Practical sessions on managing blood sugar day to day, with food swaps, label reading and the chance to ask questions.",
       "For people newly diagnosed with type 2 diabetes and their families: what it means, what helps, and how to stay well.",
       "A diabetes support group held in Urdu and Punjabi, covering food, fasting, medicines and exercise in a culturally familiar way.",
       "An online diabetes course you can do in your own time, with a weekly live question session with an educator.",
       "A peer-led cafe for people living with diabetes to share what works, with occasional talks from a dietitian.",
       "A diabetes education group with interpreters booked for every session, for people who do not speak English well."],
      ["springburn", "toryglen", o("pollokshields", langs="ur;pa;en", v=3, topics="diabetes;healthy_eating;cultural_group"), o(None, delivery="online", v=4),
       o("cranhill", wc=True, v=5), o("ibrox", interp=True, v=6)], sched=COURSE),
    K("pain", "pain", "managing_symptoms;mental_wellbeing",
      ["Living with Pain Course", "Pain Cafe", "Pain Toolkit Online", "Pain Management Group", "Pain Coaching by Phone"],
      ["Clydeside Pain Association", "{local}", "Clydeside Pain Association"], "chronic pain;self-management",
      ["A course for people with long-term pain covering pacing, sleep, movement and managing flare-ups, in a small supportive group.",
       "A relaxed peer group for people living with chronic pain to share what helps, with gentle movement and relaxation; interpreters available.",
       "Short videos and worksheets on living with persistent pain, with an online group call every fortnight.",
       "Learn ways to cope with pain that does not go away, from relaxation to goal-setting, with others in the same boat.",
       "One-to-one phone coaching for people living with chronic pain, to set small goals and find what helps."],
      ["shettleston", o("govan", interp=True), o(None, delivery="online"), o(None, delivery="phone", cost="low_cost", v=4)],
      sched=COURSE),
    K("cardiac", "cardiac;physical_activity", "managing_symptoms;lifestyle",
      ["Heart Health Exercise Class", "Healthy Hearts Club", "Heart Strong {place}", "Cardiac Maintenance Class"],
      ["Clydeside Heart Friends", "{local}", "Clydeside Heart Friends"], "heart;cardiac rehab;exercise",
      ["A supervised exercise class for people who have had a heart attack, heart surgery or live with heart failure, to keep up what you started in cardiac rehab.",
       "Exercise at a safe pace with instructors trained in cardiac rehabilitation, followed by a chat over tea.",
       "Phase four cardiac maintenance: circuits, walking and stretching for people with heart conditions, with heart-rate checks.",
       "Stay active after cardiac rehab in a friendly class run by specialist instructors; interpreters can be arranged."],
      ["tollcross", "knightswood", o("springburn", interp=True)], sched=MORNING, cost="low_cost"),
    K("heart_group", "cardiac;peer_support", "managing_symptoms;social_relationships",
      ["Heart Support Group", "Heart to Heart (Urdu and Punjabi)"], ["Clydeside Heart Friends", "{local}"], "heart;support group",
      ["A monthly support group for people living with heart conditions and their families: speakers, outings and friendship.",
       "A heart health group for South Asian elders held in Punjabi and Urdu, with talks on medicines, diet and keeping active."],
      ["parkhead", o("pollokshields", langs="pa;ur;en", interp=True, age=(50, None), topics="cardiac;peer_support;cultural_group")],
      sched=("{day} 14:00-16:00",)),
    K("fatigue", "fatigue;self_management", "managing_symptoms;self_care",
      ["Managing Fatigue Online", "Energy Matters", "Fatigue Coaching by Phone"],
      ["Clydeside Self-management Network", "{local}", "Clydeside Self-management Network"], "fatigue;long covid",
      ["An online course for people with long Covid, ME/CFS or fatigue from other conditions: pacing, sleep and planning your energy.",
       "A small group course on managing fatigue and pacing, for people who find their energy runs out before the day does.",
       "Phone coaching on pacing and energy management for people with fatigue who cannot travel to a group."],
      [o(None, delivery="online"), "calton", o(None, delivery="phone")], sched=COURSE),
    K("falls", "falls;balance;gentle_exercise", "managing_symptoms;lifestyle",
      ["Steady Steps {place}", "Strength and Balance Class", "Stay on Your Feet", "Falls Prevention Class", "Better Balance"],
      ["Steady Steps Glasgow", "{local}", "Steady Steps Glasgow"], "falls prevention;balance",
      ["Strength and balance exercises to cut your risk of falling, with advice on getting up safely if you do fall.",
       "A progressive balance class for people who have had a fall or are worried about falling; chairs available throughout.",
       "Exercises that build leg strength and steadiness, taught slowly by an instructor trained in falls prevention.",
       "A falls-prevention class mixing balance work, home-safety tips and a cup of tea.",
       "Improve your balance and confidence on your feet in a small, patient group."],
      [o("knightswood", age=(60, None)), "pollok", o("cardonald", age=(65, None)), o("dennistoun", wc=True)],
      sched=MORNING),
    K("stroke", "stroke;peer_support;social_group", "managing_symptoms;social_relationships",
      ["Stroke Club {place}", "After Stroke Social"], ["Clydeside Heart Friends", "{local}"], "stroke;support group",
      ["A social club for stroke survivors and carers with games, speech-friendly conversation, outings and exercise.",
       "A friendly group for people rebuilding life after a stroke, with communication support for people with aphasia."],
      [o("partick", wc=True), "bridgeton"], sched=("{day} 13:00-15:30",)),
    K("arthritis", "arthritis;pain;gentle_exercise", "managing_symptoms;lifestyle",
      ["Arthritis Exercise Group", "Joint Care Class"], ["Clydeside Pain Association", "{local}"], "arthritis;exercise",
      ["Gentle exercise for people with arthritis or joint pain, to keep moving without making things worse.",
       "A class for stiff and sore joints: warm-up, range-of-movement exercises and tips on pacing activity."],
      ["scotstoun", "toryglen"], sched=MORNING, cost="low_cost"),
    K("symptom_line", "breathing;cardiac;stroke;self_management", "managing_symptoms;self_care",
      ["Chest, Heart and Stroke Advice Line", "Living with Heart and Lung Conditions Chat"],
      ["Clydeside Heart Friends", "Clydeside Breath and Song"], "advice line;heart;lung",
      ["Specialist advice by phone for people with chest, heart or stroke conditions and their families, from understanding a diagnosis to what support exists locally.",
       "Online chat and email advice for people living with heart and lung conditions, answered by trained advisers within a day."],
      [o(None, delivery="phone", interp=True), o(None, delivery="online")], sched=PHONE_HOURS),

    # ==================================== work_volunteering ====================================
    K("volunteer_hub", "volunteering", "work_volunteering;social_relationships",
      ["Volunteer Centre Drop-in", "Find Your Volunteering", "Volunteer Matching Online", "Volunteering Taster Days", "Give It a Go Volunteering"],
      ["Glasgow Helping Hands", "{local}", "Glasgow Helping Hands"], "volunteering",
      ["Drop in to chat about volunteering that fits your health, time and interests, from gardening to cafes to befriending.",
       "An adviser helps you find a volunteering role near you and supports you through your first weeks, including people with health conditions.",
       "Browse local volunteering opportunities online and book a call with an adviser who can match you to one.",
       "Try out volunteering for a day with a local project before you commit; expenses paid.",
       "Volunteering for people who want to build confidence or routine after illness, with a buddy on your first shifts."],
      [o("partick", wc=True), "govan", o("easterhouse", delivery="in_person;online", v=3), o(None, delivery="online", v=2), "springburn"],
      sched=("{day} 10:00-16:00",)),
    K("volunteer_role", "volunteering", "work_volunteering",
      ["Cafe Volunteers Wanted", "Food Bank Volunteers", "Become a Befriender", "Garden Volunteers"],
      ["{local}", "{local}", "Lanternlight Befriending", "{local}"], "volunteering",
      ["Volunteer in our community cafe: serving, baking or washing up, with full training and a free lunch on your shift.",
       "Help sort, pack and hand out food parcels; shifts of two to three hours, no experience needed.",
       "Become a volunteer befriender and visit or phone an older person each week; training and support provided.",
       "Join our garden volunteers growing vegetables and looking after the beds; tools and gloves provided, all abilities welcome."],
      ["pollok", "possilpark", "dennistoun", "royston"], sched=("Flexible, weekday shifts",)),
    K("employability", "employability;training", "work_volunteering;money",
      ["{place} Job Club", "Back to Work Support", "Work and Health Coaching", "Next Steps Youth Employment", "Online Job Club",
       "Jobs Drop-in with Interpreters", "Working Well"],
      ["{local}", "Clydeside Skills Partnership", "Clydeside Skills Partnership"], "employability;jobs;CV",
      ["A weekly job club with help on CVs, job searching and applications, and computers to use.",
       "One-to-one support to get back into work after ill health, at your pace, including help talking to employers about your condition.",
       "Phone coaching for people with long-term conditions who want to stay in work or return to it.",
       "Support into work, training or college for young people, with a keyworker and paid placements.",
       "A job club online: live sessions on applications and interviews, and a keyworker you can message.",
       "Help with jobs, CVs and college applications for people new to Scotland, with interpreters available.",
       "Employability support for adults with health conditions or disabilities, with a keyworker, training and work tasters."],
      ["springburn", "drumchapel", o(None, delivery="phone"), o("easterhouse", age=(16, 25)), o(None, delivery="online"),
       o("govan", interp=True), "castlemilk"], sched=("{day} 10:00-13:00", "Mon-Fri by appointment")),
    K("esol", "esol", "work_volunteering;social_relationships",
      ["ESOL Classes {place}", "English for Everyone", "Women's English Class", "English Conversation Cafe", "English Online",
       "Beginners' English", "First Steps English", "Women's ESOL and Creche"],
      ["Open Door ESOL Collective", "{local}", "Open Door ESOL Collective"], "ESOL;English classes",
      ["Free English classes for speakers of other languages at beginner to intermediate level, with bilingual helpers in Arabic, Farsi and Kurdish.",
       "English classes for adults new to Glasgow, from the alphabet upwards; bilingual volunteers help beginners in Arabic and Kurdish.",
       "A women-only English class with a free creche, at a gentle pace, with helpers who speak Urdu and Arabic.",
       "Practise speaking English over tea with volunteers and other learners; all levels welcome.",
       "Live online English classes at three levels, with short homework and a friendly tutor.",
       "English for complete beginners, taught with pictures and bilingual support in Tigrinya, Arabic and Somali.",
       "Beginners' English with a tutor who speaks Polish, Romanian and Slovak, for newcomers from Europe.",
       "English classes for women with a creche, and support in Arabic, Farsi and Tigrinya."],
      [o("govan", langs="en;ar;fa;ku"), o("springburn", langs="en;ar;ku"), o("pollokshields", gender="female", langs="en;ur;ar"),
       "partick", o(None, delivery="online"), o("sighthill", langs="en;ti;ar;so"), o("govanhill", langs="en;pl;ro;sk"),
       o("maryhill", gender="female", langs="en;ar;fa;ti")],
      sched=("{day} 10:00-12:00", "{day} 18:00-20:00")),
    K("digital", "digital_skills", "work_volunteering;self_care",
      ["Get Online {place}", "Tablet Tea Club", "Digital Drop-in", "Computer Basics", "Phone and Tablet Help", "Get Online Helpline"],
      ["{local}", "Connect Glasgow", "Connect Glasgow"], "digital skills;getting online",
      ["Friendly help to use a phone, tablet or computer: email, video calls, online shopping and booking GP appointments; devices to borrow.",
       "Bring your tablet or phone and learn at your own pace over a cuppa, with patient volunteers.",
       "A drop-in for any computer or phone problem, from setting up an email account to using online banking safely.",
       "A beginners' computer course in small groups covering the internet, email and staying safe online.",
       "Help to get your phone or tablet working for you: apps, video calls with family and repeat prescriptions.",
       "A phone line that talks you through getting online step by step, and can lend you a tablet with free data."],
      [o("dennistoun", age=(60, None)), "possilpark", "pollok", o("gorbals", cost="paid"), o(None, delivery="phone", v=5), o("cranhill", v=4)],
      sched=("{day} 10:00-12:00", "{day} 14:00-16:00")),
    K("shed", "shed;crafts;social_group", "work_volunteering;social_relationships",
      ["{place} Men's Shed", "The Shed {place}", "Men's Workshop", "Shed on the Hill", "Women's Shed"],
      ["{local}", "{place} Shed Collective", "{local}"], "men's shed;woodwork",
      ["A workshop where men get together to make and mend things, share skills and have a blether; tools and tea provided.",
       "Woodwork, bike repairs and a lot of banter: a shed for men who want somewhere to go and something to do.",
       "Men come together to work on projects for the community, learn new skills and make friends.",
       "A well-equipped men's shed with metalwork, woodwork and a kettle that is always on.",
       "A shed for women: woodwork, upcycling and repairs, learning from each other in a relaxed space."],
      [o("govan", gender="male"), o("easterhouse", gender="male"), o("castlemilk", gender="male"),
       o("drumchapel", gender="male"), o("maryhill", gender="female")],
      sched=("Tue and Thu 10:00-15:00", "Mon, Wed and Fri 10:00-14:00"), cost="low_cost", age=(18, None)),
    K("training", "training", "work_volunteering",
      ["First Aid at Work Course", "Food Hygiene Certificate Online", "Confidence and Skills Course", "Care Work Training"],
      ["Clydeside Skills Partnership", "Clydeside Skills Partnership", "{local}", "Clydeside Skills Partnership"], "training;qualifications",
      ["A one-day first aid qualification that employers recognise, in a small group.",
       "An online food hygiene certificate, useful for cafe and kitchen jobs or volunteering; study at your own pace.",
       "Ten weeks of confidence building and practical skills for adults out of work or education, with a certificate at the end.",
       "Free training and a recognised qualification for people who want to work in care, with a placement and help applying for jobs."],
      [o("anderston", cost="paid"), o(None, delivery="online", cost="paid"), "barmulloch", "parkhead"],
      sched=("Monthly, Saturdays 09:30-16:30", "{day} 10:00-14:00")),

    # ========================================== money ==========================================
    K("welfare", "welfare_rights;benefits_check", "money",
      ["{place} Welfare Rights", "Benefits Advice Drop-in", "Money Advice {place}", "Income Maximisation Service",
       "Welfare Rights Surgery", "Advice for All", "Benefits Help Line", "Welfare Rights Outreach"],
      ["{local}", "Tenement Money Advice Partnership", "Tenement Money Advice Partnership"], "welfare rights;benefits",
      ["Free, confidential advice on benefits, from checking what you are entitled to, through forms, to appeals and tribunals.",
       "A welfare rights adviser helps with Universal Credit, Adult Disability Payment, Pension Credit and appeals; interpreters available.",
       "Benefit checks, help with claims and representation at appeals, for anyone living or working in {place}.",
       "Make sure you get every penny you are entitled to: benefits checks, grants and help with disability and carer payments.",
       "A weekly advice surgery on benefits and money worries, with home visits for people who cannot get out.",
       "Advice on benefits, debt and housing in Urdu, Punjabi, Romanian and Slovak as well as English.",
       "A telephone welfare rights service: a full benefits check and help to claim, with interpreters for any language.",
       "Benefits advice held in GP practices and community venues, so you can get help somewhere you already go."],
      [o("govan", delivery="in_person;phone", interp=True), "easterhouse", "castlemilk",
       o("drumchapel", interp=True), o("govanhill", langs="en;ur;pa;ro;sk", interp=True, v=5),
       o(None, delivery="phone", interp=True, v=6), o("maryhill", wc=True, v=7)],
      sched=("{day} 09:30-12:30", "Mon-Fri 09:00-17:00")),
    K("benefits_line", "benefits_check", "money",
      ["Benefits Check Line", "Pension Credit Check", "Benefits Calculator and Callback"],
      ["Tenement Money Advice Partnership", "Silver Threads Advice", "Tenement Money Advice Partnership"], "benefits check",
      ["A quick phone benefits check: an adviser works out what you could claim and helps you apply.",
       "Many older people miss out on Pension Credit; we check what you could get by phone and help you claim.",
       "Use our online benefits calculator, then book a free call back from an adviser to help you apply."],
      [o(None, interp=True), o(None, age=(60, None)), o(None, delivery="phone;online")], sched=PHONE_HOURS, delivery="phone"),
    K("debt", "debt_advice;budgeting", "money;mental_wellbeing",
      ["Debt Advice {place}", "Money Worries Clinic", "Debt Help Line", "Clear Your Debts", "Money Talk Online"],
      ["{local}", "Tenement Money Advice Partnership", "Tenement Money Advice Partnership"], "debt advice;money",
      ["Free, impartial debt advice: we look at your whole situation, deal with creditors and help with bankruptcy or debt arrangement schemes.",
       "Worried about bills, rent arrears or credit cards? An adviser helps you make a plan and talks to the people you owe.",
       "A phone line for anyone struggling with debt; an adviser helps you prioritise bills and stop the calls and letters.",
       "Debt advice for people with rent, council tax or energy arrears, including help when bailiffs or sheriff officers are involved.",
       "Debt advice by phone or video call, with budgeting tools you can use at home."],
      [o("shettleston", delivery="in_person;phone"), "springburn", o(None, delivery="phone", interp=True), "partick",
       o(None, delivery="phone;online")], sched=("{day} 09:30-16:30", "Mon-Fri 09:00-17:00")),
    K("food_bank", "food_bank;food", "money",
      ["{place} Food Bank", "Community Food Share", "Emergency Food Parcels", "Food Aid {place}"],
      ["{local}", "Clydeside Food Share", "Clydeside Food Share"], "food bank;emergency food",
      ["Emergency food parcels for people in crisis, with someone to talk to about why money has run out.",
       "A food bank open two days a week; you need a referral, which any GP practice, link worker or advice service can give you.",
       "Three days' food for you and your family, plus toiletries and nappies when needed, in a welcoming setting.",
       "Free food parcels and fresh produce, and a money adviser on site to help sort out what has gone wrong.",
       "A food bank and warm space run by local volunteers, with halal and vegetarian parcels and interpreters on request."],
      [o("govan", interp=True), "possilpark", "easterhouse", "bridgeton", o("sighthill", interp=True)],
      sched=("Tue and Fri 12:00-15:00", "Mon and Thu 10:00-13:00"),
      join=("Ask your link worker, GP practice or advice service for a referral, or drop in and we will help.",
            "Drop in during opening hours; we can take a referral on the day.",
            "Phone ahead if you can, but nobody is turned away on the day.")),
    K("fuel", "fuel_advice;energy", "money;living_conditions",
      ["Energy Advice Line", "Warm Home Advice", "Fuel Poverty Drop-in", "Energy Bills Clinic", "Energy Advice by Video"],
      ["Warm Closes Energy Advice", "{local}", "Warm Closes Energy Advice"], "energy;fuel poverty",
      ["Free advice on energy bills, prepayment meters, debt with your supplier and grants for heating, by phone.",
       "An energy adviser visits or meets you to cut your bills, sort out meter problems and apply for warm home grants.",
       "Drop in with your energy bills for help with arrears, top-up vouchers and switching to cheaper tariffs.",
       "Help with energy debt, the warm home discount and damp, cold homes, in person at {venue}.",
       "Video-call energy advice: an adviser reads your bills with you and helps you claim discounts and grants."],
      [o(None, delivery="phone", interp=True), "parkhead", "toryglen", "pollok", o(None, delivery="online")],
      sched=("{day} 10:00-13:00", "Mon-Fri 09:00-17:00")),
    K("pantry", "pantry;food", "money;social_relationships",
      ["{place} Community Pantry", "Community Larder", "Food Club {place}", "The Pantry", "Neighbourhood Pantry", "Larder Club"],
      ["{local}", "Clydeside Food Share", "{local}"], "community pantry;food",
      ["A members' pantry: pay a small weekly fee and choose around fifteen pounds' worth of groceries, fresh fruit and veg.",
       "A community larder where members shop for cheap food with dignity, with a cafe corner for a chat.",
       "A low-cost food club for local families and older people, with fresh food, store-cupboard basics and recipe ideas.",
       "Join the pantry for a couple of pounds a week and take home a big bag of shopping; no referral needed.",
       "Affordable food for people in {place}, run by local volunteers, with a warm space to sit down with a cuppa.",
       "A pantry club with fresh, frozen and tinned food for a small membership fee, and friendly volunteers."],
      ["ruchill", "dennistoun", "cranhill", "gorbals"],
      sched=("{day} 12:00-15:00", "{day} 16:00-18:00"), cost="low_cost"),
    K("credit_union", "credit_union;budgeting", "money",
      ["Credit Union {place}", "Savings and Loans Point", "Credit Union Drop-in"],
      ["{place} Credit Union", "Clyde Savers Credit Union", "Clyde Savers Credit Union"], "credit union;savings",
      ["Save a little each week and borrow at fair rates from a local, member-owned credit union; an alternative to doorstep lenders.",
       "Open a savings account or apply for an affordable loan, in person or online.",
       "Ethical saving and borrowing for people on low incomes, with jam-jar accounts for bills."],
      ["maryhill", o("govan", delivery="in_person;online"), "parkhead"], sched=("{day} 10:00-14:00",)),
    K("community_meal", "community_meal;food;social_group", "money;social_relationships",
      ["Community Supper", "Free Lunch Table", "Shared Table {place}"], ["{local}", "Clydeside Food Share", "{local}"], "community meal",
      ["A free hot meal every week for anyone who wants one, no questions asked, with company and sometimes music.",
       "Hot food, a warm room and good company; everybody eats together and nobody is asked why they came.",
       "A weekly pay-what-you-can dinner that brings neighbours together, with vegetarian and halal options."],
      ["calton", "govanhill"], sched=("{day} 17:30-19:00", "{day} 12:30-14:00")),
    K("budgeting", "budgeting;debt_advice", "money",
      ["Money Skills Online"], ["Tenement Money Advice Partnership"], "budgeting;money skills",
      ["A short online course on budgeting, banking, avoiding scams and dealing with debt before it gets out of hand."],
      [o(None, delivery="online")], sched=("Self-paced, with live Q&A {day} 18:00-19:00",)),

    # ===================================== living_conditions =====================================
    K("housing", "housing_advice", "living_conditions",
      ["Housing Advice {place}", "Housing Options Drop-in", "Tenancy Rights Clinic", "Housing Help", "Housing Advice Line"],
      ["{local}", "Northern Spires Housing Advice", "Northern Spires Housing Advice"], "housing advice",
      ["Free advice on housing problems: repairs your landlord will not do, rent arrears, eviction and finding somewhere to live.",
       "Help with housing applications, transfers and medical priority for people whose home no longer suits their health.",
       "Advice on your rights as a tenant, from deposits to damp, with help writing to your landlord.",
       "Practical help if you are at risk of losing your home or living somewhere unsuitable; interpreters available.",
       "A telephone housing advice service for council, housing association and private tenants.",
       "A weekly housing surgery for tenants and homeowners: repairs, overcrowding, moving to a more suitable home and help with housing benefit."],
      [o("govan", delivery="in_person;phone", interp=True), o("springburn", interp=True), "shettleston", o("gorbals", interp=True),
       o(None, delivery="phone", interp=True), "castlemilk"], sched=("{day} 10:00-13:00", "Mon-Fri 09:00-17:00")),
    K("homeless", "homelessness;housing_advice;food", "living_conditions;money",
      ["Homelessness Drop-in", "Open Door Day Centre"], ["Northern Spires Housing Advice", "{local}"], "homelessness",
      ["A drop-in for people who are homeless or about to be, with advice, a hot drink, showers and help with a homeless application.",
       "A day centre for people sleeping rough or in temporary accommodation: breakfast, laundry, advice and a safe place to be."],
      [o("anderston", interp=True), "calton"], sched=("Mon-Fri 09:00-13:00",)),
    K("repairs", "home_repairs", "living_conditions",
      ["Small Repairs Service", "Fix-It Friends", "Handyperson Scheme"], ["Fix-It Friends Glasgow", "Fix-It Friends Glasgow", "Clydeside Care at Home"],
      "home repairs;handyperson",
      ["A handyperson comes to fix small jobs around the home, such as leaking taps, curtain rails and smoke alarms, for a small charge.",
       "Trusted tradespeople for small repairs and odd jobs, for older and disabled people; you pay only for materials.",
       "Help to get repairs done and find trustworthy tradespeople, for homeowners and private tenants with health problems."],
      [o(None, age=(60, None)), None, o(None, cost="free")], sched=PHONE_HOURS, delivery="phone", cost="low_cost"),
    K("adaptations", "adaptations;home_safety", "living_conditions;self_care",
      ["Adaptations Advice Line", "Independent Living Showroom", "Grab Rails and Ramps"],
      ["Clydeside Care at Home", "Clydeside Care at Home", "Fix-It Friends Glasgow"], "adaptations;equipment",
      ["Advice on adapting your home when your health changes: grab rails, stairlifts, level-access showers and how to get them funded.",
       "Try out equipment for daily living, from bath seats to kettle tippers, and get advice from an occupational therapist.",
       "Fitting of grab rails, half steps and key safes for older and disabled people, for a small charge."],
      [o(None, delivery="phone", interp=True), o("cardonald", wc=True), o(None, delivery="phone", age=(60, None), cost="low_cost")],
      sched=("Mon-Fri 09:00-16:00", "{day} 10:00-15:00")),
    K("tenants", "tenant_support;housing_advice", "living_conditions",
      ["{place} Tenants' Association", "Tenancy Support Service", "Tenants' Voice {place}", "Tenancy Sustainment Line"],
      ["{local}", "Northern Spires Housing Advice", "{local}"], "tenants;housing",
      ["Local tenants working together on repairs, damp and rent rises; come to a meeting or get help raising a problem with your landlord.",
       "Support to keep your tenancy: help with bills, repairs, furnishing your home and dealing with your landlord.",
       "A residents' group that campaigns on damp, mould and repairs and helps neighbours get their voice heard.",
       "Phone support for tenants at risk of losing their home, from arrears to problems with neighbours.",
       "A tenants' and residents' group that meets monthly to take up repairs, dampness and estate problems with the housing association."],
      ["possilpark", "royston", "toryglen", o(None, delivery="phone", interp=True), "easterhouse"], sched=("First {day} of the month 18:30-20:00", "Mon-Fri 09:00-17:00")),
    K("transport", "community_transport", "living_conditions;social_relationships",
      ["Dial-a-Ride Glasgow East", "Wheelchair Minibus Service", "Shopping Bus", "Community Car Scheme"],
      ["Two Rivers Community Transport", "Two Rivers Community Transport", "Kindly Wheels Glasgow", "Kindly Wheels Glasgow"],
      "community transport",
      ["Door-to-door transport for people who cannot use buses, for shopping, social outings and appointments; members book by phone.",
       "Wheelchair-accessible minibuses with trained drivers for trips to clubs, shops and family, booked by phone.",
       "A weekly shopping bus that collects older people from home and takes them to the supermarket and back.",
       "Volunteer drivers for local trips when public transport is too hard, for a small charge per mile."],
      [o(None, interp=True), None, o(None, age=(60, None)), None,
       o("anderston", delivery="in_person", name="Shopmobility Point", org="Kindly Wheels Glasgow", cost="free",
         wc=True, sched=("Mon-Sat 10:00-16:00",),
         what="Borrow a manual or powered wheelchair or a mobility scooter to get around the city centre shops; bring ID on your first visit.")],
      sched=PHONE_HOURS, delivery="phone", cost="low_cost"),
    K("home_from_hospital", "hospital_discharge;home_safety;befriending", "living_conditions;self_care",
      ["Home from Hospital Service", "Settled at Home"], ["Clydeside Care at Home", "{local}"], "hospital discharge;home support",
      ["Practical help for a few weeks after you come home from hospital: shopping, prescriptions, a safety check and a friendly visit.",
       "Volunteers help older people settle back in after a hospital stay, with a home check, help with shopping and weekly visits."],
      [o(None, delivery="phone", interp=True), o("priesthill", delivery="in_person;phone")], sched=PHONE_HOURS),
    K("home_safety", "home_safety", "living_conditions",
      ["Home Fire Safety Visit", "Safe at Home Checks", "Winter Warmth and Safety Visits"],
      ["Safe Closes Partnership", "Safe Closes Partnership", "Warm Closes Energy Advice"], "home safety",
      ["Book a free home fire safety visit: smoke alarms fitted and advice on staying safe, especially if you smoke or use oxygen.",
       "Free home security and safety checks for older people, with door chains, locks and trip hazards sorted.",
       "A visit before winter to check heating, draughts and trip hazards, with small fixes done on the spot."],
      [o(None, interp=True), o(None, age=(60, None)), None], sched=PHONE_HOURS, delivery="phone"),
    K("damp", "housing_advice;home_repairs", "living_conditions",
      ["Damp and Mould Advice"], ["Northern Spires Housing Advice"], "damp;housing",
      ["Advice for tenants living with damp or mould, including getting your landlord to act and what to do in the meantime."],
      [o(None, delivery="phone;online")], sched=PHONE_HOURS),

    # ==================================== social_relationships ====================================
    K("befriend", "befriending", "social_relationships;mental_wellbeing",
      ["{place} Befriending", "Friendly Visitors", "Good Neighbours Befriending", "Out and About Befriending", "Companions {place}"],
      ["Lanternlight Befriending", "{local}", "Lanternlight Befriending"], "befriending;loneliness",
      ["A volunteer befriender visits you at home each week for a chat, or takes you out for a coffee or a walk.",
       "Matched with a friendly volunteer who shares your interests, for people who are lonely or have lost confidence going out.",
       "Weekly visits from a trained volunteer for older people living alone, with outings when you are ready.",
       "Befrienders help you get out and about again, to the shops, a cafe or a local group, at your own pace.",
       "Home visits from a friendly volunteer for people who are housebound or isolated."],
      [o("cranhill", age=(60, None)), "pollok", o("knightswood", age=(65, None)), "springburn"],
      sched=("Weekly, day arranged with your befriender",)),
    K("phone_befriend", "befriending;phone_befriending", "social_relationships;mental_wellbeing",
      ["Telephone Friends", "Chatline Befriending", "Polish Phone Friends", "Dosti Phone Friends",
       "Mandarin Phone Befriending", "Arabic Phone Friends", "Tea and Talk by Phone"],
      ["Lanternlight Befriending", "Silver Threads Advice", "Lanternlight Befriending", "Southside Sisters Network",
       "Glasgow Chinese Elders' Fellowship", "Al-Nour Women's Circle", "Lanternlight Befriending"], "befriending;telephone",
      ["A volunteer rings you at the same time each week for a good chat, for anyone who feels lonely or cut off.",
       "Regular friendly phone calls for older people living alone, with group calls for quizzes and reminiscence.",
       "Weekly phone calls in Polish from a volunteer befriender, for Polish-speaking people who feel isolated.",
       "Friendly phone calls in Urdu, Punjabi or Hindi for older South Asian people living alone.",
       "Weekly calls in Mandarin from a volunteer, for older Chinese people who are isolated.",
       "Phone befriending in Arabic for people new to Glasgow who have no one to talk to.",
       "A friendly voice on the phone once or twice a week, for adults of any age who feel lonely."],
      [None, o(None, age=(60, None)), o(None, langs="pl;en", topics="befriending;phone_befriending;cultural_group"),
       o(None, langs="ur;pa;hi;en", age=(55, None), topics="befriending;phone_befriending;cultural_group"),
       o(None, langs="zh;en", age=(60, None), topics="befriending;phone_befriending;cultural_group"),
       o(None, langs="ar;en", topics="befriending;phone_befriending;cultural_group;refugee_support"), o(None, age=(18, None))],
      sched=("Weekly call, day and time to suit you",), delivery="phone"),
    K("lunch", "lunch_club;community_meal;social_group", "social_relationships",
      ["{place} Lunch Club", "Friendship Lunch", "Tuesday Lunch Club", "Soup and Sandwich Club", "Lunch and Laughter",
       "Over-60s Lunch Club", "Senior Citizens' Lunch", "Dinner and Dominoes", "Punjabi Elders' Day Club", "Chinese Elders' Lunch Club"],
      ["{local}", "Silver Threads Advice", "{local}", "{local}", "Silver Threads Advice", "{local}", "{local}", "{local}",
       "Five Rivers Community Association", "Glasgow Chinese Elders' Fellowship"], "lunch club;older people",
      ["A hot two-course lunch and good company for older people, with bingo or a quiz afterwards.",
       "Lunch, a blether and sometimes a singalong, for older people who would otherwise eat alone.",
       "Home-cooked lunch in a friendly hall, with transport for those who need it.",
       "Soup, sandwiches and a warm welcome: a simple lunch club where nobody eats alone.",
       "A sociable lunch club with a cooked meal, a raffle and guest speakers.",
       "A weekly lunch club for people over 60 with a two-course meal, tea and games.",
       "A long-running lunch club with a cooked dinner, entertainment and outings in summer.",
       "Dinner, dominoes and cards every week; a lunch club with a bit of competition.",
       "A day club for Punjabi and Urdu-speaking elders with a hot vegetarian lunch, exercise, prayers and chat.",
       "A weekly lunch club for older Chinese people with Chinese food, mahjong and information sessions in Mandarin."],
      [o("govan", age=(60, None)), "parkhead", o("possilpark", age=(60, None)), "castlemilk",
       o("dennistoun", age=(60, None)), o("pollok", age=(60, None), status="inactive"),
       o("pollokshields", v=8, langs="pa;ur;en", age=(60, None), topics="lunch_club;community_meal;social_group;cultural_group;older_people"),
       o("anderston", v=9, langs="zh;en", age=(60, None), topics="lunch_club;community_meal;social_group;cultural_group;older_people")],
      sched=("{day} 12:00-14:00",), cost="low_cost"),
    K("choir", "choir;singing;social_group", "social_relationships;mental_wellbeing",
      ["{place} Community Choir", "Sing Out {place}", "Singalong Club", "The Tenement Singers", "Rock Choir for Beginners"],
      ["{local}", "{local}", "{local}", "{local}", "Northern Voices Choirs"], "choir;singing",
      ["A friendly community choir for anyone who loves to sing; no auditions and no need to read music.",
       "Sing pop, folk and Scottish songs together; a lively choir that welcomes complete beginners.",
       "A singalong of old favourites for people who love a song, with tea and biscuits at half time.",
       "A choir that sings in harmony and performs at local events; all voices welcome.",
       "A big, fun choir singing pop and rock songs, for adults with no singing experience."],
      ["govanhill", o("maryhill", cost="low_cost"), o("bridgeton", wc=True), o("partick", cost="paid", v=4)],
      sched=("{day} 19:00-20:30", "{day} 14:00-15:30")),
    K("garden", "gardening;physical_activity;volunteering", "social_relationships;mental_wellbeing",
      ["{place} Community Garden", "Grow Together", "Green Fingers Club", "The Growing Space", "Allotment Buddies", "Riverside Growers"],
      ["{local}", "Glasgow Growing Spaces", "{local}"], "gardening;green space",
      ["Grow fruit and vegetables alongside neighbours in raised beds, with tools, seeds and tea provided; no experience needed.",
       "A community garden where you can potter, learn, share the harvest and enjoy being outdoors.",
       "Gardening sessions with raised beds you can reach from a chair, for people of all abilities.",
       "Growing, cooking and eating together in a green space in the middle of {place}.",
       "Learn to grow your own on shared allotment plots, with mentors who have been doing it for years.",
       "A riverside garden group: planting, weeding, wildlife and a good cup of tea."],
      ["govan", "possilpark", "castlemilk", o("pollokshields", wc=True)],
      sched=("{day} 10:00-13:00", "Saturdays 10:00-13:00")),
    K("parents", "parent_group", "social_relationships",
      ["Mums' Group", "Dads' Club", "Family Drop-in", "Parents Together Online", "Romanian Mothers' Circle", "Tigrinya Mums' Group"],
      ["{local}", "{local}", "{local}", "Glasgow Parents' Network", "Govanhill Roma Families Project", "Eritrean Community Hub Glasgow"],
      "parents;families",
      ["A relaxed group for mums with babies and toddlers to meet, chat and play, with a health visitor popping in monthly.",
       "A Saturday morning club for dads and their kids: play, breakfast and a chance for dads to chat.",
       "A family drop-in with play for children and tea and advice for parents and carers.",
       "An online peer support group for parents who are struggling, run by parents who have been there.",
       "A group for Romanian and Roma mothers and their children, held in Romanian and Slovak, with play, advice and friendship.",
       "A group for Eritrean mothers and their babies, held in Tigrinya, with play, support and advice on local services."],
      [o("priesthill", gender="female"), o("castlemilk", gender="male"), "bridgeton", o(None, delivery="online"),
       o("govanhill", gender="female", langs="ro;sk", topics="parent_group;social_group;cultural_group"),
       o("springburn", gender="female", langs="ti;en", topics="parent_group;social_group;cultural_group")],
      sched=("{day} 10:00-11:30", "Saturdays 10:00-12:00")),
    K("social", "social_group", "social_relationships",
      ["Knit and Natter", "Crafts Cafe", "LGBT+ Over-50s Social", "Men's Breakfast Club", "Coffee Morning {place}",
       "Bingo and Blether", "Games Afternoon", "Friendship Group"],
      ["{local}", "{local}", "Rainbow Closes", "{local}", "{local}", "{local}", "{local}", "{local}"], "social;friendship",
      ["Bring your knitting or learn from scratch in a chatty group; wool and needles provided.",
       "A relaxed crafts cafe with card-making, painting and sewing, and tea and cake.",
       "A monthly social for LGBT+ people over 50, with talks, trips and friendly company.",
       "A bacon roll and a blether for men every week; a simple way to meet other men locally.",
       "A coffee morning with home baking, a book swap and a friendly welcome for newcomers.",
       "A bingo and blether afternoon, popular with older people living alone.",
       "Board games, cards and dominoes with tea; a relaxed way to meet people.",
       "A friendship group for adults who feel isolated: outings, chat and a different activity each week."],
      [o("shettleston", topics="social_group;crafts"), o("cardonald", topics="social_group;crafts;arts", cost="paid"),
       o("anderston", age=(50, None), topics="social_group;lgbt"), o("shettleston", gender="male")],
      sched=("{day} 10:00-12:00", "{day} 13:30-15:30")),
    K("social_online", "social_group", "social_relationships",
      ["Online Quiz and Cuppa", "Virtual Book Club", "Housebound Online Social"],
      ["Connect Glasgow", "Connect Glasgow", "Lanternlight Befriending"], "online social",
      ["A weekly online quiz and chat for people who cannot easily get out; help to get online is available.",
       "Read a book a month and talk it over in a friendly video call; large-print and audio copies available.",
       "A video get-together for people who are housebound, with music, games and guests."],
      [None, None], sched=("{day} 14:00-15:00",), delivery="online"),
    K("elders_club", "social_group;older_people", "social_relationships",
      ["Friendship Club", "Golden Years Club", "Evergreen Club"], ["{local}", "Silver Threads Advice", "{local}"], "older people;social",
      ["A friendship club for older people with tea, entertainment and outings, and a minibus to collect you.",
       "A weekly afternoon club for older people: armchair exercise, a singalong and a good chat.",
       "Cards, chat and afternoon tea for over-60s, with day trips in summer."],
      [o("ruchill", age=(60, None)), "scotstoun"], sched=("{day} 13:00-16:00",), cost="low_cost"),
    K("community_group", "cultural_group;social_group", "social_relationships",
      ["Arabic Women's Social Group", "Bengali Women's Sewing Circle", "Somali Women's Wellbeing Group", "Eritrean Community Coffee",
       "Persian Community Evening", "Polish Mothers' Group", "Kurdish Community Drop-in", "Romanian Community Advice Cafe",
       "Somali Family Support", "Arabic-speaking Women's Circle"],
      ["Al-Nour Women's Circle", "Southside Sisters Network", "Horn of Africa Women's Network", "Eritrean Community Hub Glasgow",
       "Persian Arts Glasgow", "Polska Glasgow Families", "Kurdish Community Association Glasgow", "Govanhill Roma Families Project",
       "Horn of Africa Women's Network", "Al-Nour Women's Circle"], "community group;culture",
      ["A weekly social group for Arabic-speaking women: tea, crafts, trips and talks on health and local services.",
       "A sewing and craft circle for Bengali women, held in Bengali, where friendships are made over the machines.",
       "A women's group held in Somali, with talks on diabetes, healthy eating and mental health, and plenty of tea.",
       "A coffee and community morning held in Tigrinya, for Eritrean people in Glasgow to meet and help each other.",
       "Music, poetry and food from Iran and Afghanistan, held in Farsi, for anyone who misses home.",
       "A group for Polish mothers and their young children, held in Polish, with play and friendship.",
       "A drop-in held in Kurdish, Arabic and Farsi with help reading letters, advice on services and tea.",
       "A friendly cafe for Romanian-speaking families with advice on schools, health and benefits.",
       "Support for Somali families with school, housing and health services, held in Somali.",
       "A circle for Arabic-speaking women who are new to Glasgow, with English practice and outings."],
      [o("sighthill", gender="female", langs="ar;en"), o("pollokshields", gender="female", langs="bn;en", topics="cultural_group;social_group;crafts"),
       o("ibrox", gender="female", langs="so;en", topics="cultural_group;social_group;diabetes;healthy_eating"),
       o("sighthill", langs="ti;en", topics="cultural_group;social_group;befriending"), o("partick", langs="fa;en", topics="cultural_group;social_group;arts"),
       o("dennistoun", gender="female", langs="pl", topics="cultural_group;social_group;parent_group"),
       o("govan", langs="ku;ar;fa;en", topics="cultural_group;social_group;form_filling;refugee_support"),
       o("govanhill", langs="ro;en", topics="cultural_group;social_group;welfare_rights;form_filling", domains="social_relationships;money"),
       o("maryhill", langs="so;en", topics="cultural_group;social_group;refugee_support;form_filling"),
       o("springburn", gender="female", langs="ar;en", topics="cultural_group;social_group;esol")],
      sched=("{day} 10:30-13:00", "{day} 18:00-20:00")),
    K("faith", "faith_group;social_group", "social_relationships;mental_wellbeing",
      ["Open Church Cafe", "Mosque Community Lunch", "Faith and Friendship Group"], ["{local}", "{local}", "{local}"], "faith;community",
      ["A church-run cafe open to everyone, whatever your beliefs: soup, a seat and someone to talk to.",
       "A community lunch hosted by a local mosque, open to neighbours of every faith and none, held in English, Urdu and Arabic.",
       "An interfaith friendship group sharing food, stories and festivals, welcoming people of all faiths and none."],
      ["springburn", o("pollokshields", langs="en;ur;ar")], sched=("{day} 11:00-13:00",)),

    # ======================================== mental_wellbeing ========================================
    K("bereave", "bereavement", "mental_wellbeing;social_relationships",
      ["Bereavement Support Group", "After Loss Cafe", "Grief Group", "Bereavement Drop-in", "Widowed Friends"],
      ["Bluebell Bereavement Care", "{local}", "Bluebell Bereavement Care"], "bereavement;grief",
      ["A small group for people who have lost someone close, meeting fortnightly with trained facilitators; you can talk or just listen.",
       "A cafe for bereaved people to meet others who understand, with no pressure to share more than you want.",
       "Eight weeks of support after a death, covering grief, practical worries and looking after yourself.",
       "A drop-in for anyone grieving, with a trained volunteer to talk to one-to-one.",
       "A social group for people who have lost a husband, wife or partner, with outings and lunches as well as support."],
      ["dennistoun", "partick", "castlemilk", o("springburn", status="inactive")], sched=("{day} 14:00-16:00", "{day} 18:30-20:00")),
    K("bereave_remote", "bereavement", "mental_wellbeing",
      ["Bereavement Support Line", "Gham Support Line (Urdu and Punjabi)", "Bereavement Support Online", "Men's Grief Group Online"],
      ["Bluebell Bereavement Care", "Southside Sisters Network", "Bluebell Bereavement Care", "Bluebell Bereavement Care"], "bereavement;telephone",
      ["Telephone bereavement support: a trained volunteer calls you weekly for up to twelve weeks after a death.",
       "Bereavement support by phone in Urdu and Punjabi, from volunteers who understand cultural and religious practices around death.",
       "An online bereavement group meeting by video, for people who cannot get to a group in person.",
       "An online group where men talk about losing someone, led by men who have been there."],
      [o(None, delivery="phone"), o(None, delivery="phone", langs="ur;pa;en", topics="bereavement;cultural_group"), o(None, delivery="online"),
       o(None, delivery="online", gender="male")], sched=PHONE_HOURS),
    K("anxiety", "anxiety;low_mood", "mental_wellbeing",
      ["Beating Anxiety Course", "Calm Minds Group", "Worry Less Online", "Stress Control Online"],
      ["Heronbank Wellbeing Trust", "{local}", "Heronbank Wellbeing Trust", "Heronbank Wellbeing Trust"], "anxiety;stress",
      ["A six-week course teaching practical skills to manage anxiety, panic and worry, in a small friendly group.",
       "A support group for people living with anxiety, meeting weekly to share coping strategies.",
       "Online sessions on managing worry and low mood, with worksheets and a weekly group call.",
       "A class-style course on stress, sleep and low mood that you watch online; no need to speak or show your face."],
      ["govan", "parkhead", o(None, delivery="online"), o(None, delivery="online")], sched=COURSE),
    K("peer", "peer_support;low_mood", "mental_wellbeing;social_relationships",
      ["Mental Health Peer Group", "Talk Club", "Women's Wellbeing Circle", "Young People's Peer Support", "Peer Support Online",
       "Farsi Peer Support Group", "Menopause Cafe"],
      ["Heronbank Wellbeing Trust", "{local}", "{local}", "Heronbank Wellbeing Trust", "Heronbank Wellbeing Trust",
       "Persian Arts Glasgow", "{local}"], "peer support;mental health",
      ["A peer support group run by people with lived experience of mental ill health, for anyone struggling with their mood.",
       "A group where men talk about what is on their minds, over a cuppa, in a no-pressure space.",
       "A women's group to support each other through stress, low mood and life's ups and downs.",
       "Peer support for young people who are struggling with anxiety, low mood or isolation.",
       "An online peer support group meeting by video twice a week, moderated by trained peer workers.",
       "An online peer support group held in Farsi, for people living with stress, anxiety or trauma after leaving home.",
       "A relaxed cafe for women going through the menopause to share experiences and tips."],
      ["maryhill", o("govan", gender="male"), o("springburn", gender="female"), o("drumchapel", age=(16, 25)),
       o(None, delivery="online", age=(18, None)), o(None, delivery="online", langs="fa", topics="peer_support;anxiety;refugee_support"),
       o("shettleston", gender="female", topics="peer_support;menopause", domains="mental_wellbeing;managing_symptoms")],
      sched=("{day} 18:00-19:30", "{day} 11:00-12:30")),
    K("mindful", "mindfulness", "mental_wellbeing",
      ["Mindfulness for Wellbeing", "Mindful Mornings Online", "Mindfulness Course", "Calm Space", "Mindful Moments"],
      ["Heronbank Wellbeing Trust", "Heronbank Wellbeing Trust", "{local}", "{local}", "{local}"], "mindfulness;relaxation",
      ["An eight-week mindfulness course to help with stress, low mood and living with long-term conditions.",
       "Short guided mindfulness sessions online each weekday morning, to start the day calmly.",
       "Learn mindfulness and relaxation techniques in a small group, with practices to do at home.",
       "A drop-in meditation and relaxation session in a quiet room; chairs and mats available.",
       "Gentle mindfulness and breathing for anyone feeling stressed or anxious."],
      [o("partick", cost="paid"), o(None, delivery="online"), o(None, delivery="online", cost="paid"), "gorbals"], sched=("{day} 18:30-20:00", "Weekdays 08:00-08:20")),
    K("arts", "arts;crafts", "mental_wellbeing;social_relationships",
      ["Art for Wellbeing", "Creative Minds", "Paint and Chat", "Open Studio", "Pottery for Wellbeing", "Creative Writing Group"],
      ["{local}", "Heronbank Wellbeing Trust", "{local}"], "art;creativity",
      ["Relaxed art sessions with a tutor: painting, printmaking and collage, for people who want to feel better through being creative.",
       "Creative sessions for people recovering from mental ill health or illness; materials provided, no talent required.",
       "Painting and chat over tea, with a gentle tutor; a calm space to try something new.",
       "An open studio where you can come and make art alongside others, with support from artists.",
       "Pottery classes with a focus on wellbeing and calm; clay and firing included.",
       "A friendly writing group: short exercises, sharing if you want to, and a lot of encouragement."],
      ["govan", "easterhouse", o("possilpark", cost="low_cost"), o("scotstoun", cost="paid", v=4)],
      sched=("{day} 13:00-15:00", "{day} 18:00-20:00")),
    K("counselling", "counselling", "mental_wellbeing",
      ["Low-cost Counselling", "Community Counselling", "Telephone Counselling", "Counselling Online",
       "Free Short-term Counselling", "Counselling in Polish", "Counselling for Refugees"],
      ["Heronbank Wellbeing Trust", "{local}", "Heronbank Wellbeing Trust", "Heronbank Wellbeing Trust", "{local}",
       "Polska Glasgow Families", "Safe Harbour Counselling"], "counselling;talking therapy",
      ["Counselling with trained counsellors for a fee you can afford, based on your income.",
       "Weekly one-to-one counselling for up to twelve sessions, for adults dealing with stress, loss or low mood.",
       "Counselling by telephone for people who cannot or would rather not travel.",
       "Video counselling sessions with qualified counsellors, evenings and weekends.",
       "Free counselling for up to eight sessions for adults living locally, with a short waiting list.",
       "Counselling in Polish with qualified counsellors, for stress, anxiety, relationships and loss.",
       "Counselling for refugees and people seeking asylum, with interpreters in Arabic, Farsi, Kurdish, Tigrinya and more."],
      [o("partick", cost="paid"), o("govan", cost="low_cost"), o(None, delivery="phone", cost="low_cost"),
       o(None, delivery="online", cost="paid"), o("govanhill", langs="pl", cost="low_cost", v=5),
       o("maryhill", v=6, interp=True, langs="en;ar;fa", topics="counselling;anxiety;refugee_support")],
      sched=("By appointment, weekdays and evenings",), age=(18, None)),
    K("listening", "listening;low_mood", "mental_wellbeing",
      ["Listening Line", "Night Owls Listening Line"], ["Heronbank Wellbeing Trust", "Heronbank Wellbeing Trust"], "listening;helpline",
      ["A confidential listening line for anyone feeling low or overwhelmed; trained volunteers listen without judging.",
       "A phone line open late into the night for people who feel alone or anxious and need someone to talk to."],
      [None, None], sched=("Daily 18:00-02:00", "Mon-Fri 10:00-22:00"), delivery="phone"),
    K("confidence", "confidence;low_mood", "mental_wellbeing;work_volunteering",
      ["Confidence Building Course", "Feel Good Course"], ["{local}", "Heronbank Wellbeing Trust"], "confidence",
      ["A friendly course to build confidence and self-esteem, for people who have lost their way after illness, redundancy or caring.",
       "Six sessions on confidence, assertiveness and looking after your wellbeing, in a small group."],
      ["ibrox"], sched=COURSE),

    # ========================== navigators and refugee support (language barriers) ==========================
    K("navigator", "navigator;appointment_support;form_filling;welfare_rights", "self_care;money",
      ["Roma Community Navigator", "South Asian Health Navigator Line", "New Scots Drop-in", "New Scots Advice Point",
       "Refugee Welcome Drop-in", "Slovak and Romanian Jobs Navigator"],
      ["Govanhill Roma Families Project", "Southside Sisters Network", "New Scots Welcome Network", "New Scots Welcome Network",
       "New Scots Welcome Network", "Govanhill Roma Families Project"], "navigator;advice;bilingual",
      ["Bilingual navigators who speak Romanian, Slovak and Romani help families with GP registration, appointments, benefits forms and letters.",
       "A phone line in Urdu, Punjabi and Bengali that helps people book and attend health appointments, understand letters and find local support.",
       "A weekly drop-in for refugees and people seeking asylum: help with housing, benefits, letters and finding English classes, with interpreters.",
       "Advice on asylum support, housing, benefits and health registration, with workers who speak Arabic, Farsi, Kurdish, Tigrinya and Somali.",
       "A welcome drop-in for people new to Glasgow with tea, advice, clothes and help with forms; interpreters available.",
       "A bilingual worker who speaks Slovak and Romanian helps you find jobs and training, write a CV and understand your rights at work."],
      [o("govanhill", langs="ro;sk;en", topics="navigator;appointment_support;form_filling;welfare_rights;cultural_group"),
       o(None, delivery="phone", langs="ur;pa;bn;en", topics="navigator;appointment_support;form_filling;cultural_group"),
       o("govan", interp=True, topics="refugee_support;welfare_rights;housing_advice;form_filling", domains="money;living_conditions"),
       o("sighthill", langs="ar;fa;ku;ti;so;en", interp=True, topics="refugee_support;welfare_rights;housing_advice;form_filling",
         domains="money;living_conditions"),
       o("maryhill", interp=True, topics="refugee_support;welfare_rights;form_filling;food", domains="money;social_relationships"),
       o("govanhill", langs="sk;ro;en", topics="navigator;employability;training;cultural_group", domains="work_volunteering;money")],
      sched=("{day} 10:00-14:00", "Mon-Fri 09:30-16:30")),
    K("polish_advice", "welfare_rights;debt_advice;form_filling", "money;self_care",
      ["Polish Advice Cafe"], ["Polska Glasgow Families"], "advice;Polish",
      ["Advice in Polish on benefits, debt, housing and work rights, with help filling in forms."],
      [o("govanhill", langs="pl;en", delivery="in_person;phone", topics="welfare_rights;debt_advice;form_filling;cultural_group")],
      sched=("{day} 17:00-19:30",)),
]


# ---- building listings -------------------------------------------------------------------------
def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def contact_name(name: str, limit: int = 40) -> str:
    """The listing's name as an e-mail local part and a web path: whole words only, never cut mid-word
    ('living-well-with-long-term-conditions', not 'living-well-with-long-term-c')."""
    words, out = slug(name).split("-"), ""
    for word in words:
        if out and len(out) + 1 + len(word) > limit:
            break
        out = f"{out}-{word}" if out else word
    return out


# A service that comes to the person (a befriender, a handyperson, a safety visit) is not dropped in to:
# its how-to-join sentence must not say so.
COMES_TO_YOU = re.compile(r"visits you|meets you at home|comes to fix|home visits from|weekly visits|"
                          r"friendly visit|home fire safety visit|a visit before winter|adviser visits", re.IGNORECASE)
GO_TO_A_VENUE = ("Just turn up.", "Drop in, no need to book.", "New members are welcome any week.",
                 "Come along for a taster session first if you like.",
                 "Email or phone and a volunteer will meet you at the door on your first visit.",
                 "Drop in, or phone for advice if you cannot get out.")
ARRANGE_A_VISIT = "Phone us, or ask your link worker or GP practice to refer you, and we will arrange the first visit."


def jitter(rng: random.Random, lat: float, lon: float, max_km: float = 0.55) -> tuple[float, float]:
    r = max_km * math.sqrt(rng.random())
    a = rng.uniform(0, 2 * math.pi)
    dlat = r * math.cos(a) / 111.2
    dlon = r * math.sin(a) / (111.2 * math.cos(math.radians(lat)))
    return round(lat + dlat, 5), round(lon + dlon, 5)


def inward(rng: random.Random) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in inward codes (no C, I, K, M, O, V)
    return f"{rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def qualifier(gender: str, age: tuple, interp: bool, text: str) -> str:
    parts = []
    low = text.lower()
    if gender == "female" and "women" not in low and "mothers" not in low and "mums" not in low:
        parts.append("women only")
    if gender == "male" and "men " not in low and "men's" not in low and "dads" not in low:
        parts.append("men only")
    lo, hi = age
    if lo is not None or hi is not None:
        if lo is not None and hi is not None:
            parts.append(f"for people aged {lo} to {hi}")
        elif lo == 18:
            parts.append("adults 18 and over")
        else:
            parts.append(f"for people aged {lo} and over")
    out = ", ".join(parts)
    if interp and "interpret" not in low:
        out = f"{out}; interpreters can be arranged" if out else "interpreters can be arranged"
    return (out[0].upper() + out[1:] + ".") if out else ""


def build() -> tuple[list[dict], list[tuple[str, str]]]:
    rng = random.Random(SEED)
    # Each place: two local organisations and three venues, fixed once.
    local_orgs, venues = {}, {}
    for key, (name, *_rest) in PLACES.items():
        nouns = rng.sample(ORG_NOUNS, 2)
        local_orgs[key] = [f"{name} {nouns[0]} {rng.choice(ORG_TYPES)}", f"{name} {nouns[1]} {rng.choice(ORG_TYPES)}"]
        vn = rng.sample(VENUE_NOUNS, 3)
        pats = rng.sample(VENUE_PATTERNS, 3)
        venues[key] = [p.format(place=name, noun=n) for p, n in zip(pats, vn, strict=True)]

    phones = rng.sample(range(1000, 10000), 400)
    rows, topics, n = [], [], 0
    used_names: Counter = Counter()
    for kind in KINDS:
        for i, spec in enumerate(kind["at"]):
            place, ov = spec if isinstance(spec, tuple) else (spec, {})
            n += 1
            rid = f"SP{n:04d}"
            delivery = ov.get("delivery", kind["delivery"] if place is None or kind["delivery"] != "in_person" else "in_person")
            if place is not None and "in_person" not in delivery:
                delivery = "in_person;" + delivery
            if place is None and "in_person" in delivery:
                raise SystemExit(f"{rid}: in_person listing of kind {kind['key']} has no place")
            pname = PLACES[place][0] if place else "Glasgow"
            park = PLACES[place][5] if place else "the park"
            venue = rng.choice(venues[place]) if place else ""
            local = rng.choice(local_orgs[place]) if place else "Glasgow Community Links"
            fill = dict(place=pname, park=park, venue=venue, local=local)

            v = ov.get("v", i)  # which wording: the instance's position unless bound explicitly
            name = ov.get("name", kind["names"][v % len(kind["names"])]).format(**fill)
            name = name[0].upper() + name[1:]
            if "{place}" not in kind["names"][v % len(kind["names"])] and place and used_names[name]:
                name = f"{name} ({pname})"
            used_names[name] += 1
            org = ov.get("org", kind["orgs"][v % len(kind["orgs"])]).format(**fill)
            what = ov.get("what", kind["what"][v % len(kind["what"])]).format(**fill)
            gender = ov.get("gender", kind["gender"])
            age = ov.get("age", kind["age"])
            interp = ov.get("interp", kind["interp"])
            langs = ov.get("langs", kind["langs"])
            cost = ov.get("cost", kind["cost"])
            modes = delivery.split(";")
            join_pool = kind["join"] or JOIN[modes[0] if modes[0] != "in_person" or len(modes) == 1 else modes[0]]
            join = rng.choice(join_pool)
            if "phone" in modes and "in_person" in modes and rng.random() < 0.5:
                join = rng.choice(("Drop in, or phone for advice if you cannot get out.",
                                   "Call us for phone advice or to book a face-to-face appointment."))
            if join in GO_TO_A_VENUE and COMES_TO_YOU.search(what):
                join = ARRANGE_A_VISIT  # no draw from rng: every later listing stays as it was
            q = qualifier(gender, age, interp, what) if ov.get("q", True) else ""
            description = " ".join(s for s in (what, q, join) if s)

            sched_pool = ov.get("sched") or kind["sched"] or WEEKLY
            if place is None and kind["sched"] in (None, WEEKLY, MORNING):
                sched_pool = PHONE_HOURS if "phone" in modes else ("{day} 11:00-12:00", "{day} 19:00-20:00")
            schedule = rng.choice(sched_pool).format(day=rng.choice(DAYS))

            if place:
                _n, district, clat, clon, streets, _park = PLACES[place]
                lat, lon = jitter(rng, clat, clon)
                address = f"{venue[4:] if venue.startswith('the ') else venue}, {rng.randint(2, 380)} {rng.choice(streets)}"
                postcode = f"{district} {inward(rng)}"
                wc = ov.get("wc")
                if wc is None:
                    u = rng.random()
                    wc = True if u < 0.64 else (False if u < 0.84 else None)
            else:
                lat = lon = None
                address = postcode = ""
                wc = None
            phone = "" if delivery == "online" and rng.random() < 0.5 else f"0141 000 {phones[n]:04d}"
            base = contact_name(name)
            email = f"{base}@example.org"
            website = f"https://example.org/{base}"
            rows.append({
                "id": rid, "name": name, "organisation": org, "description": description,
                "categories": kind["cats"], "domains": ov.get("domains", kind["domains"]), "languages": langs,
                "interpreter_available": "true" if interp else "false",
                "min_age": "" if age[0] is None else str(age[0]), "max_age": "" if age[1] is None else str(age[1]),
                "gender": gender, "delivery": delivery, "cost": cost, "address": address, "postcode": postcode,
                "latitude": "" if lat is None else f"{lat:.5f}", "longitude": "" if lon is None else f"{lon:.5f}",
                "wheelchair_accessible": "" if wc is None else ("true" if wc else "false"),
                "schedule": schedule, "phone": phone, "email": email, "website": website,
                "last_verified": "", "status": ov.get("status", "active"),
            })
            topics.append((rid, ov.get("topics", kind["topics"])))

    # Curation state: ~20 stale listings (some never verified), a few more inactive, the rest verified in 2026.
    ids = [r["id"] for r in rows]
    inactive = {r["id"] for r in rows if r["status"] == "inactive"}
    # Closures and unknown costs fall on English-only listings, so small community-language provision survives.
    english_only = [r["id"] for r in rows if r["languages"] == "en" and r["interpreter_available"] == "false"]
    extra_inactive = rng.sample([i for i in english_only if i not in inactive], 8 - len(inactive))
    for r in rows:
        if r["id"] in extra_inactive:
            r["status"] = "inactive"
    pool = [i for i in ids if i not in inactive and i not in extra_inactive]
    stale = rng.sample(pool, 20)
    never = set(stale[:6])
    for r in rows:
        if r["id"] in never:
            r["last_verified"] = ""
        elif r["id"] in stale:
            r["last_verified"] = (dt.date(2023, 3, 1) + dt.timedelta(days=rng.randint(0, 960))).isoformat()
        else:
            r["last_verified"] = (dt.date(2026, 1, 5) + dt.timedelta(days=rng.randint(0, 315))).isoformat()
    # Curators leave domains blank on ~15% of listings: the system infers them from the text.
    for r in rng.sample(rows, round(0.15 * len(rows))):
        r["domains"] = ""
    # A few listings whose cost nobody recorded.
    for r in rng.sample([r for r in rows if r["cost"] == "free" and r["id"] in english_only and r["status"] == "active"], 10):
        r["cost"] = ""
    return rows, topics


# ---- writing and checking ----------------------------------------------------------------------
def to_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def check(rows: list[dict], topics: list[tuple[str, str]], true_domains: dict[str, list[str]]) -> list[str]:
    """Contract section 2 rules for every row, plus the coverage the demo promises; returns problems."""
    problems = []
    seen = set()
    for r in rows:
        rid = r["id"]
        if rid in seen:
            problems.append(f"{rid}: duplicate id")
        seen.add(rid)
        for col in ("id", "name", "description", "delivery"):
            if not r[col].strip():
                problems.append(f"{rid}: {col} is required")
        doms = [d for d in r["domains"].split(";") if d]
        if any(d not in DOMAINS for d in doms):
            problems.append(f"{rid}: bad domain {doms}")
        if any(not re.fullmatch(r"[a-z]{2}", x) for x in r["languages"].split(";")):
            problems.append(f"{rid}: bad language {r['languages']}")
        modes = r["delivery"].split(";")
        if any(m not in DELIVERY for m in modes):
            problems.append(f"{rid}: bad delivery {modes}")
        if "in_person" in modes and not (r["latitude"] and r["longitude"]):
            problems.append(f"{rid}: in_person without coordinates")
        if r["min_age"] and r["max_age"] and int(r["min_age"]) > int(r["max_age"]):
            problems.append(f"{rid}: min_age > max_age")
        if r["gender"] not in ("", "female", "male") or r["cost"] not in ("", "free", "low_cost", "paid"):
            problems.append(f"{rid}: bad gender or cost")
        if r["status"] not in ("active", "inactive"):
            problems.append(f"{rid}: bad status")
        for col in ("interpreter_available", "wheelchair_accessible"):
            if r[col] not in ("", "true", "false"):
                problems.append(f"{rid}: bad {col}")
        if r["phone"] and not re.fullmatch(r"0141 000 \d{4}", r["phone"]):
            problems.append(f"{rid}: phone outside the fictional range")
        if not r["email"].endswith("@example.org") or not r["website"].startswith("https://example.org/"):
            problems.append(f"{rid}: contact outside example.org")
        sentences = len(re.findall(r"[.!?](?:\s|$)", r["description"]))
        if not 1 <= sentences <= 3:
            problems.append(f"{rid}: description has {sentences} sentences")
    if len({r["description"] for r in rows}) != len(rows):
        problems.append("duplicate descriptions")
    openings = Counter(r["description"][:60] for r in rows)
    problems += [f"description used twice: {k}..." for k, c in openings.items() if c > 1]
    if len({r["phone"] for r in rows if r["phone"]}) != sum(1 for r in rows if r["phone"]):
        problems.append("duplicate phone numbers")
    if not 280 <= len(rows) <= 320:
        problems.append(f"{len(rows)} listings, want 280-320")
    return problems


def coverage(rows: list[dict], true_domains: dict[str, list[str]]) -> dict[str, object]:
    langs = Counter(x for r in rows for x in r["languages"].split(";"))
    verified = [r["last_verified"] for r in rows]
    cutoff = TODAY.replace(year=TODAY.year - 1)
    return {
        "listings": len(rows),
        "by true domain": {d: sum(d in true_domains[r["id"]] for r in rows) for d in DOMAINS},
        "by domains column": {d: sum(d in r["domains"].split(";") for r in rows) for d in DOMAINS},
        "two or more domains": sum(len(true_domains[r["id"]]) >= 2 for r in rows),
        "domains column blank": sum(not r["domains"] for r in rows),
        "languages (listings)": dict(sorted(langs.items(), key=lambda kv: -kv[1])),
        "not English-only": sum(r["languages"] != "en" for r in rows),
        "interpreter available": sum(r["interpreter_available"] == "true" for r in rows),
        "women-only": sum(r["gender"] == "female" for r in rows),
        "men-only": sum(r["gender"] == "male" for r in rows),
        "age-limited": sum(bool(r["min_age"] or r["max_age"]) for r in rows),
        "age limits": dict(Counter(f"{r['min_age'] or ''}-{r['max_age'] or ''}" for r in rows if r["min_age"] or r["max_age"])),
        "delivery": dict(Counter(r["delivery"] for r in rows)),
        "phone-only": sum(r["delivery"] == "phone" for r in rows),
        "online-only": sum(r["delivery"] == "online" for r in rows),
        "cost": dict(Counter(r["cost"] or "(blank)" for r in rows)),
        "wheelchair_accessible": dict(Counter(r["wheelchair_accessible"] or "(blank)" for r in rows)),
        "in-person wheelchair_accessible": dict(Counter(r["wheelchair_accessible"] or "(blank)" for r in rows
                                                        if "in_person" in r["delivery"])),
        "inactive": sum(r["status"] == "inactive" for r in rows),
        "stale (>12 months or never verified)": sum(not v or dt.date.fromisoformat(v) < cutoff for v in verified),
        "  of which never verified": sum(not v for v in verified),
        "verified in 2026": sum(v.startswith("2026") for v in verified),
        "neighbourhoods": len({r["postcode"].split()[0] + "|" + r["address"].split(",")[0] for r in rows if r["postcode"]}),
    }


def main() -> int:
    rows, topics = build()
    true_domains = {}
    kind_domains = {}
    for kind in KINDS:
        for spec in kind["at"]:
            kind_domains.setdefault(kind["key"], []).append(spec[1].get("domains", kind["domains"]) if isinstance(spec, tuple) else kind["domains"])
    flat = [d for kind in KINDS for d in kind_domains[kind["key"]]]
    for r, doms in zip(rows, flat, strict=True):
        true_domains[r["id"]] = doms.split(";")
    problems = check(rows, topics, true_domains)
    OUT_CSV.parent.mkdir(parents=True, exist_ok=True)
    OUT_TOPICS.parent.mkdir(parents=True, exist_ok=True)
    OUT_CSV.write_text(to_csv(rows), encoding="utf-8", newline="")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "topics"])
    w.writerows(topics)
    OUT_TOPICS.write_text(buf.getvalue(), encoding="utf-8")
    print(f"wrote {OUT_CSV.relative_to(ROOT)} and {OUT_TOPICS.relative_to(ROOT)}")
    for key, value in coverage(rows, true_domains).items():
        print(f"  {key}: {value}")
    for p in problems:
        print(f"PROBLEM {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
