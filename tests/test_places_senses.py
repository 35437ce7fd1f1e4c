"""Issue 11: the right sense of a place name (senses kept, person-name guard, qualifiers)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import schema
from analysis.places import find_places
from analysis.places.index import Gazetteer


def _places(*texts: str) -> pd.DataFrame:
    ids = [f"a{i}" for i in range(len(texts))]
    return find_places(pd.DataFrame({schema.ARTICLE_ID: ids, schema.TEXT: list(texts)}))


def _senses(name: str) -> set[str]:
    return set(Gazetteer.load().candidates(name)[schema.COUNTRY_CODE].dropna())


# one line per common word of jusText's stop list that is a famous city's name: every sense kept
@pytest.mark.parametrize("name, countries", [("London", {"GB", "CA", "US"}), ("York", {"GB", "US", "CA"})])
def test_stop_list_word_keeps_every_sense(name, countries):
    assert countries <= _senses(name)


def test_stop_list_word_that_is_a_given_name_is_not_a_place():
    assert _senses("George") == set()  # en_stopnames.txt: a given name before a town in South Africa


def test_climate_pattern_is_not_a_place():
    # en_stopnames.txt: El Niño is a village in Mexico, but in news the climate pattern
    p = _places("A strong El Niño or La Niña has a significant impact on hurricane development.")
    assert not {"El Niño", "La Niña"} & set(p[schema.SURFACE])
    assert _senses("El Niño") == set()


def test_london_ontario_is_the_canadian_city():
    p = _places("Fire crews in London, Ontario, were called to a house on Dundas Street on Tuesday.")
    london = p[p[schema.SURFACE] == "London"].iloc[0]
    assert london[schema.COUNTRY_CODE] == "CA"
    assert abs(london[schema.LATITUDE] - 42.98) < 0.5


def test_york_pa_is_the_pennsylvania_town():
    p = _places("The crash happened near York, Pa., on Route 30, state police said.")
    york = p[p[schema.SURFACE] == "York"].iloc[0]
    assert york[schema.COUNTRY_CODE] == "US" and abs(york[schema.LONGITUDE] + 76.7) < 0.5


def test_modifier_before_a_city_is_not_a_given_name():
    text = ("Charities across the metropolitan area report more calls. United Way of Metropolitan "
            "Atlanta said on Monday that donations fell. Calls to the Atlanta agency rose 41 percent.")
    p = _places(text)
    atlanta = p[p[schema.SURFACE] == "Atlanta"]
    assert len(atlanta) == 2
    assert set(atlanta[schema.COUNTRY_CODE]) == {"US"}


def test_a_person_with_a_city_surname_still_guards_it():
    # "Sen. Paul Houston said": Houston is a surname here, and the lone "Houston" after it too
    text = "Sen. Paul Houston said the bill was unfair. Houston added that it would fail in the House."
    p = _places(text)
    assert "Houston" not in set(p[schema.SURFACE])


# county points: the mean of GeoNames' populated places in the county (us_county_points.csv)
@pytest.mark.parametrize("text, surface, lat, lon", [
    # no town is called Gwinnett: the county had no coordinates at all
    ("Gwinnett County police said the road was closed.", "Gwinnett County", 33.96, -84.02),
    # Danielsville is the seat of Madison County, Ga.; the Madison in Georgia is in Morgan County
    ("DANIELSVILLE, Ga. - Madison County commissioners voted Monday to raise the tax.", "Madison County",
     34.13, -83.21),
])
def test_county_has_its_own_point(text, surface, lat, lon):
    p = _places(text)
    row = p[p[schema.SURFACE] == surface].iloc[0]
    assert abs(row[schema.LATITUDE] - lat) < 0.4 and abs(row[schema.LONGITUDE] - lon) < 0.4


def test_one_story_one_region_counties_follow_the_sure_city():
    # every county name has a sense in a dozen states; Springfield, the surest name, decides (Missouri)
    text = ("Rogersville aldermen voted Monday to annex land along the highway. The town sits on the "
            "line between Greene County and Webster County, east of Springfield.")
    p = _places(text).set_index(schema.SURFACE)
    assert p.loc["Greene County", schema.PLACE_ID] == "fips:29077"
    assert p.loc["Webster County", schema.PLACE_ID] == "fips:29225"


def test_the_capital_keeps_its_sense_in_a_state_story():
    text = ("Officials in Athens, Ga., and Augusta, Ga., said the money from Washington would arrive "
            "in Savannah, Ga., next month.")
    p = _places(text)
    dc = p[p[schema.SURFACE] == "Washington"].iloc[0]
    assert abs(dc[schema.LATITUDE] - 38.9) < 0.3 and abs(dc[schema.LONGITUDE] + 77.0) < 0.3


@pytest.mark.parametrize("text, person", [
    # a lone speaker before "said" is a person in the whole article (Baker, Oregon; Baker, Louisiana)
    ('"Thank God," Baker said. Baker rode his bicycle on toward the capital.', "Baker"),
    # a small capital (Douglas, Isle of Man) is no shield against a named chief
    ('Police Chief Robert Douglas said his officers were called. "We are not sure," Douglas said.', "Douglas"),
])
def test_a_speaker_is_not_a_place(text, person):
    assert person not in set(_places(text)[schema.SURFACE])


def test_officials_in_a_city_said_keeps_the_city():
    p = _places("Officials in Nashville said the road was closed. Nashville police agreed.")
    assert list(p[schema.SURFACE]) == ["Nashville", "Nashville"]


@pytest.mark.parametrize("text, surface, cc, lat, lon", [
    ("Farmers in Tamil Nadu and Karnataka are fighting over the river's water.", "Tamil Nadu", "IN", 11.0, 78.5),
    ("Farmers in Tamil Nadu and Karnataka are fighting over the river's water.", "Karnataka", "IN", 14.5, 76.1),
    ("Police in Lancashire said the M6 was closed near Preston.", "Lancashire", "GB", 53.8, -2.6),
])
def test_first_level_divisions_and_uk_counties(text, surface, cc, lat, lon):
    p = _places(text)
    row = p[p[schema.SURFACE] == surface].iloc[0]
    assert row[schema.COUNTRY_CODE] == cc
    assert abs(row[schema.LATITUDE] - lat) < 1.0 and abs(row[schema.LONGITUDE] - lon) < 1.0


def test_a_generic_division_name_is_not_a_place():
    # Central, North West, Gulf: whole names of divisions somewhere (en_stopnames.txt), words here
    p = _places("Central bankers met in the North West of the country, near the Gulf coast.")
    assert not {"Central", "North West", "Gulf"} & set(p[schema.SURFACE])


@pytest.mark.parametrize("text, surface, role", [
    ("Diplomats said Russia maintains the same number of staff in London.", "Russia", "metonymic"),
    ('The United States strongly encourages the government to act, the embassy said.', "United States",
     "metonymic"),
    ("He said China and Russia will continue to strengthen coordination.", "China", "metonymic"),
    ("According to the report, Mexico has not experienced the benefits it hoped for.", "Mexico", "metonymic"),
    # a possessive that names a part of the country stays literal; a list comma is no clause comma
    ("Shanghai is China's largest city.", "China", "literal"),
    ("She has lived in Lyon, France since 2010.", "France", "literal"),
])
def test_country_as_an_agent_is_metonymic(text, surface, role):
    p = _places(text)
    assert p[p[schema.SURFACE] == surface].iloc[0][schema.ROLE] == role


@pytest.mark.parametrize("text, expected", [
    ("Residents of Camden and Charlton counties in Georgia were evacuated.",
     {"Camden": "fips:13039", "Charlton": "fips:13049"}),
    ("Officials in Cobb, Fulton and DeKalb counties agreed on the plan.",
     {"Cobb": "fips:13067", "Fulton": "fips:13121", "DeKalb": "fips:13089"}),
])
def test_names_before_counties_are_counties(text, expected):
    p = _places(text).set_index(schema.SURFACE)
    assert {k: p.loc[k, schema.PLACE_ID] for k in expected} == expected


@pytest.mark.parametrize("text, surface, name", [
    ("He moved to St. Louis last year.", "St. Louis", "St. Louis"),
    ("A St. Paris man was charged with theft.", "St. Paris", "Saint Paris"),  # not Paris, France
    ("Troops at Ft. Bragg were told to pack.", "Ft. Bragg", "Fort Bragg"),
])
def test_abbreviated_saint_and_fort_keep_the_whole_name(text, surface, name):
    p = _places(text)
    assert list(zip(p[schema.SURFACE], p[schema.NAME], strict=True)) == [(surface, name)]


def test_a_church_of_a_saint_is_not_a_parish():
    assert _places("The St. Mary church held a bake sale.").empty


@pytest.mark.parametrize("text, surface, feature, cc", [
    ("Flights at Heathrow airport were cancelled on Sunday.", "Heathrow airport", "airport", "GB"),
    ("The jets left Ramstein air base at dawn.", "Ramstein air base", "military_base", "DE"),
])
def test_a_name_before_a_lower_case_facility_is_the_facility(text, surface, feature, cc):
    row = _places(text).iloc[0]
    assert (row[schema.SURFACE], row[schema.FEATURE], row[schema.COUNTRY_CODE]) == (surface, feature, cc)


def test_continent_and_region_adjectives_name_their_place():
    p = _places("European diplomats said African and Latin American leaders would attend.")
    assert dict(zip(p[schema.SURFACE], p[schema.NAME], strict=True)) == {
        "European": "Europe", "African": "Africa", "Latin American": "Latin America"}


def test_a_place_modifier_is_not_a_given_name_even_alone_in_the_article():
    # no lower-case "downtown" or "metro" anywhere: the modifier list still tells
    text = ("Downtown Greer, known locally as Greer Station, is busy. The new Greer City Hall opened. "
            "Metro Nashville police records state the trailer was stolen in Nashville.")
    surfaces = list(_places(text)[schema.SURFACE])
    assert surfaces.count("Greer") >= 2 and surfaces.count("Nashville") == 2


@pytest.mark.parametrize("text, surface, place_id", [
    ("He lives in Vancouver, B.C., with his wife.", "B.C.", "curated:british-columbia"),
    ("Wildfires in BC forced thousands from their homes.", "BC", "curated:british-columbia"),
    ("Flooding hit NSW and Queensland on Friday.", "NSW", "curated:new-south-wales"),
    # a division the curated rows already name is not doubled by admin_points.csv
    ("Fires in Alberta spread overnight.", "Alberta", "curated:alberta"),
])
def test_division_abbreviations(text, surface, place_id):
    p = _places(text)
    assert p[p[schema.SURFACE] == surface].iloc[0][schema.PLACE_ID] == place_id
    assert len(Gazetteer.load().candidates(p[p[schema.SURFACE] == surface].iloc[0][schema.NAME])) == 1


def test_w_va_with_a_space_is_west_virginia_and_votes_for_its_town():
    p = _places("He grew up in Wheeling, W. Va., and moved to Charleston, W. Va., in 1990.")
    assert list(p[schema.SURFACE]) == ["Wheeling", "W. Va.", "Charleston", "W. Va."]
    assert set(p[p[schema.SURFACE] == "W. Va."][schema.NAME]) == {"West Virginia"}
    charleston = p[p[schema.SURFACE] == "Charleston"].iloc[0]
    assert abs(charleston[schema.LATITUDE] - 38.35) < 0.2  # not Charleston, South Carolina


@pytest.mark.parametrize("text, surface, feature, cc", [
    ("Rain fell across Washington state on Monday.", "Washington", "admin1", "US"),
    ("Officials in Georgia state government said the budget was late.", "Georgia", "admin1", "US"),
    ("China state media said the talks went well.", "China", "country", "CN"),  # 'state media': no
])
def test_a_name_before_state_is_the_state(text, surface, feature, cc):
    row = _places(text).set_index(schema.SURFACE).loc[surface]
    assert (row[schema.FEATURE], row[schema.COUNTRY_CODE]) == (feature, cc)


@pytest.mark.parametrize("text, surface, name", [
    ("The Atlantic hurricane season lasts until November.", "Atlantic", "Atlantic Ocean"),
    ("Trade in Asia-Pacific grew fastest.", "Pacific", "Pacific Ocean"),
])
def test_bare_ocean_names_are_the_oceans(text, surface, name):
    p = _places(text)
    assert p[p[schema.SURFACE] == surface].iloc[0][schema.NAME] == name
