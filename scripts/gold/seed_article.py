"""The gold annotation of the seed article, entered through Label Studio's API as ground truth.

This is how the gold of the seed article was made: every region below was decided by reading the
article sentence by sentence against annotations/GUIDELINES.md, then sent to a real Label Studio
project as one annotation marked ground truth, pulled and converted like any other annotation. The
committed raw export (annotations/labelstudio/whosaidwhat/) and records (annotations/records/) are
the result; this file is kept so a reviewer can read every decision in one place.

Each region is anchored by a context string that occurs once in the article; the region is the
first occurrence of its text inside that context.

Run against a server (whosaidwhat labelstudio start), with LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY:

    python scripts/gold/seed_article.py
"""

from __future__ import annotations

import sys

from whosaidwhat import Layout
from whosaidwhat.convert.pipeline import convert
from whosaidwhat.labelstudio.client import client, pull, push
from whosaidwhat.labelstudio.regions import Region, Relation, to_results

SEED_ID = "wsw-752693cc0e635468"
PROJECT = "whosaidwhat"

# (label, entity key, mention, context)
ENTITIES = [
    ("PERSON", "trump", "Trump", "The Trump administration"),
    ("GPE", "venezuela", "Venezuela", "military targets in Venezuela"),
    ("PERSON", "maduro", "Nicolás Maduro", "under Nicolás Maduro’s socialist"),
    ("ORG", "miami-herald", "Miami Herald", "According to the Miami Herald"),
    ("GPE", "us", "U.S.", "Herald, U.S. officials"),
    ("ORG", "tren-de-aragua", "Tren de Aragua", "the Tren de Aragua and"),
    ("ORG", "cartel-de-los-soles", "Cartel de los Soles", "and Cartel de los Soles networks"),
    ("GPE", "venezuela", "Venezuela", "using Venezuela’s ports"),
    ("NORP", "americans", "American", "as American forces"),
    ("PERSON", "maduro", "Maduro", "pressure on Maduro."),
    ("PERSON", "maduro", "Maduro", "said Maduro’s options"),
    ("PERSON", "trump", "Donald Trump", "President Donald Trump and"),
    ("PERSON", "maduro", "Maduro", "view Maduro as"),
    ("GPE", "us", "U.S.", "threat to U.S. national"),
    ("GPE", "venezuela", "Venezuela", "turning Venezuela into"),
    ("NORP", "americans", "Americans", "used to harm Americans."),
    ("PERSON", "rubio", "Marco Rubio", "Secretary of State Marco Rubio"),
    ("PERSON", "maduro", "Maduro", "supporting Maduro’s rule"),
    ("ORG", "trending-politics", "Trending Politics", "according to Trending Politics."),
    ("GPE", "venezuela", "Venezuela", "narco-state in Venezuela"),
    ("PERSON", "rubio", "Rubio", "” Rubio said last week"),
    ("ORG", "al-qaeda", "al Qaeda", "the al Qaeda of"),
    ("LOC", "western-hemisphere", "Western Hemisphere", "of the Western Hemisphere"),
    ("LOC", "caribbean", "Caribbean", "across the Caribbean."),
    ("PERSON", "trump", "Trump", "Trump has already deployed"),
    ("NORP", "americans", "American", "significant American force"),
    ("EVENT", "cold-war", "Cold War", "end of the Cold War"),
    ("GPE", "us", "U.S.", "U.S. troops and aircraft"),
    ("PERSON", "trump", "Trump", "comes as Trump intensifies"),
    ("NORP", "americans", "Americans", "70,000 Americans in 2023"),
    ("ORG", "white-house", "White House", "White House officials said"),
    ("LOC", "latin-america", "Latin America", "drugs from Latin America."),
    ("PERSON", "trump", "Trump", "“President Trump has been clear"),
    ("PERSON", "maduro", "Maduro", "message to Maduro:"),
    ("PERSON", "anna-kelly", "Anna Kelly", "spokeswoman Anna Kelly said"),
    ("NORP", "americans", "American", "element of American power"),
    ("GPE", "mexico", "Mexico", "through Mexico using"),
    ("GPE", "china", "China", "chemicals from China,"),
    ("GPE", "venezuela", "Venezuela", "officials say Venezuela’s role"),
    ("NORP", "colombian", "Colombian", "for Colombian cocaine"),
    ("GPE", "us", "U.S.", "U.S. intelligence agencies"),
    ("PERSON", "maduro", "Maduro", "believe Maduro’s government"),
    ("PERSON", "trump", "Trump", "actions of Trump’s second term"),
    ("GPE", "us", "America", "fueling America’s drug epidemic"),
    ("PERSON", "trump", "Trump", "a day after Trump met"),
    ("NORP", "chinese", "Chinese", "with Chinese President"),
    ("PERSON", "xi-jinping", "Xi Jinping", "President Xi Jinping."),
    ("GPE", "china", "China", "China is an ally"),
    ("GPE", "venezuela", "Venezuela", "ally of Venezuela,"),
]

# Each quote: kind, speaker kind, content pieces, speaker, cue (each a (text, context) pair or None).
QUOTES = [
    dict(name="reportedly", kind="indirect", speaker_kind="unattributed",
         content=[("The Trump administration is", "The Trump administration is reportedly"),
                  ("preparing air and naval strikes against military targets in Venezuela as part of a major campaign "
                   "against drug cartels operating under Nicolás Maduro’s socialist regime", "reportedly preparing air")],
         speaker=None, cue=("reportedly", "administration is reportedly preparing")),
    dict(name="herald", kind="indirect", speaker_kind="named_organization",
         content=[("U.S. officials have identified several installations tied to the Tren de Aragua and Cartel de los "
                   "Soles networks", "Herald, U.S. officials")],
         speaker=("the Miami Herald", "According to the Miami Herald"), cue=("According to", "According to the Miami")),
    dict(name="groups-accused", kind="indirect", speaker_kind="unattributed",
         content=[("Both groups", "Both groups are accused"),
                  ("using Venezuela’s ports and airfields to move narcotics throughout the region", "of using Venezuela’s ports")],
         speaker=None, cue=("are accused of", "Both groups are accused of using")),
    dict(name="sources", kind="indirect", speaker_kind="anonymous",
         content=[("the strikes could begin within days as American forces tighten pressure on Maduro", "that the strikes could begin")],
         speaker=("Sources", "Sources told the outlet"), cue=("told", "Sources told the outlet")),
    dict(name="one-official", kind="indirect", speaker_kind="anonymous",
         content=[("Maduro’s options are running out fast", "said Maduro’s options")],
         speaker=("One official", "One official said"), cue=("said", "One official said")),
    dict(name="the-source", kind="direct", speaker_kind="anonymous",
         content=[("He’s about to find himself trapped and might soon discover that he cannot flee the country even if he "
                   "decided to", "“He’s about to find"),
                  ("What’s worse for him, there is now more than one general willing to capture and hand him over.",
                   "“What’s worse for him")],
         speaker=("the source", "the source said."), cue=("said", "the source said.")),
    dict(name="view", kind="indirect", speaker_kind="named_person",
         content=[("Maduro as a direct threat to U.S. national security", "view Maduro as a direct")],
         speaker=("President Donald Trump and his national security team", "President Donald Trump and his"),
         cue=("view", "team view Maduro")),
    dict(name="they-accuse", kind="indirect", speaker_kind="pronoun",
         content=[("him", "They accuse him of"),
                  ("turning Venezuela into a narcotics hub used to harm Americans", "of turning Venezuela")],
         speaker=("They", "They accuse him"), cue=("accuse", "They accuse him")),
    dict(name="trending-politics", kind="indirect", speaker_kind="named_organization",
         content=[("Secretary of State Marco Rubio is reportedly one of the architects of the strategy to dismantle the "
                   "networks supporting Maduro’s rule", "Secretary of State Marco Rubio is")],
         speaker=("Trending Politics", "according to Trending Politics"),
         cue=("according to", "rule, according to Trending")),
    dict(name="rubio", kind="direct", speaker_kind="named_person",
         content=[("You have a narco-state in Venezuela run by a cartel", "“You have a narco-state"),
                  ("This is an operation against narco-terrorists, the al Qaeda of the Western Hemisphere, and they need "
                   "to be dealt with.", "“This is an operation")],
         speaker=("Rubio", "” Rubio said last week"), cue=("said", "Rubio said last week")),
    dict(name="white-house-officials", kind="indirect", speaker_kind="anonymous",
         content=[("the president’s focus remains on stopping the flow of drugs from Latin America", "said the president’s focus")],
         speaker=("White House officials", "White House officials said"), cue=("said", "officials said the president’s")),
    dict(name="kelly", kind="direct", speaker_kind="named_person",
         content=[("President Trump has been clear in his message to Maduro: stop sending drugs and criminals to our country",
                   "“President Trump has been clear"),
                  ("The president is prepared to use every element of American power to stop drugs from flooding into our "
                   "homeland.", "“The president is prepared")],
         speaker=("spokeswoman Anna Kelly", "spokeswoman Anna Kelly said"), cue=("said", "Anna Kelly said")),
    dict(name="trump-message", kind="indirect", speaker_kind="named_person",
         content=[("stop sending drugs and criminals to our country", "Maduro: stop sending drugs")],
         speaker=("President Trump", "“President Trump has been clear"), cue=("message", "in his message to Maduro")),
    dict(name="officials-say", kind="indirect", speaker_kind="anonymous",
         content=[("Venezuela’s role as a transit point for Colombian cocaine has made it a key target", "say Venezuela’s role")],
         speaker=("officials", "officials say Venezuela’s"), cue=("say", "officials say Venezuela’s")),
    dict(name="intelligence", kind="indirect", speaker_kind="anonymous",
         content=[("Maduro’s government has deepened its partnerships with cartels to maintain political control and fund "
                   "military operations", "believe Maduro’s government")],
         speaker=("U.S. intelligence agencies", "U.S. intelligence agencies believe"),
         cue=("believe", "agencies believe Maduro’s")),
    dict(name="regimes-accused", kind="indirect", speaker_kind="unattributed",
         content=[("regimes", "message to regimes accused"), ("fueling America’s drug epidemic", "of fueling America’s")],
         speaker=None, cue=("accused of", "regimes accused of fueling")),
    dict(name="defense-official", kind="direct", speaker_kind="anonymous",
         content=[("This time, there’s no warning shot. The message is clear — stop the poison or face the consequences.",
                   "“This time, there’s no")],
         speaker=("one defense official", "As one defense official put it"), cue=("put it", "official put it,")),
]

# (claim type, check-worthiness, text, context, quote it is made in by an explicit made_in relation)
# Claims inside a quote's content are linked to that quote by convert without a relation.
CLAIMS = [
    ("other", "check_worthy", "The Trump administration is reportedly preparing air and naval strikes against military "
     "targets in Venezuela as part of a major campaign against drug cartels operating under Nicolás Maduro’s socialist "
     "regime", "The Trump administration is reportedly", "reportedly"),
    ("other", "check_worthy", "U.S. officials have identified several installations tied to the Tren de Aragua and Cartel "
     "de los Soles networks", "Herald, U.S. officials", None),
    ("other", "check_worthy", "Both groups are accused of using Venezuela’s ports and airfields to move narcotics "
     "throughout the region", "Both groups are accused", "groups-accused"),
    ("prediction", "check_worthy", "the strikes could begin within days as American forces tighten pressure on Maduro",
     "that the strikes could begin", None),
    ("other", "non_factual", "Maduro’s options are running out fast", "said Maduro’s options", None),
    ("prediction", "non_factual", "He’s about to find himself trapped and might soon discover that he cannot flee the "
     "country even if he decided to", "“He’s about to find", None),
    ("other", "check_worthy", "there is now more than one general willing to capture and hand him over",
     "him, there is now more", None),
    ("other", "non_factual", "Maduro as a direct threat to U.S. national security", "view Maduro as a direct", None),
    ("other", "check_worthy", "turning Venezuela into a narcotics hub used to harm Americans", "of turning Venezuela", None),
    ("other", "check_worthy", "Secretary of State Marco Rubio is reportedly one of the architects of the strategy to "
     "dismantle the networks supporting Maduro’s rule", "Secretary of State Marco Rubio is", None),
    ("other", "check_worthy", "You have a narco-state in Venezuela run by a cartel", "“You have a narco-state", None),
    ("other", "non_factual", "This is an operation against narco-terrorists, the al Qaeda of the Western Hemisphere, and "
     "they need to be dealt with", "“This is an operation", None),
    ("other", "unimportant_factual", "The administration’s decision follows a series of coordinated military movements "
     "across the Caribbean", "The administration’s decision", None),
    ("quantity", "check_worthy", "Trump has already deployed the most significant American force to the region since the "
     "end of the Cold War", "Trump has already deployed", None),
    ("other", "non_factual", "signaling an apparent readiness for confrontation", "signaling an apparent", None),
    ("quantity", "check_worthy", "U.S. troops and aircraft have carried out at least 13 strikes on smuggling vessels since "
     "early September, killing 57 suspected traffickers and destroying several boats carrying narcotics",
     "U.S. troops and aircraft", None),
    ("other", "unimportant_factual", "The move comes as Trump intensifies his efforts to combat the fentanyl crisis",
     "The move comes as", None),
    ("quantity", "check_worthy", "which killed roughly 70,000 Americans in 2023", "which killed roughly", None),
    ("quantity", "check_worthy", "contributed to nearly 70 percent of all overdose deaths", "contributed to nearly", None),
    ("other", "non_factual", "the president’s focus remains on stopping the flow of drugs from Latin America",
     "said the president’s focus", None),
    ("other", "non_factual", "President Trump has been clear in his message to Maduro: stop sending drugs and criminals "
     "to our country", "“President Trump has been clear", None),
    ("prediction", "non_factual", "The president is prepared to use every element of American power to stop drugs from "
     "flooding into our homeland", "“The president is prepared", None),
    ("quantity", "check_worthy", "most fentanyl enters through Mexico using precursor chemicals from China",
     "While most fentanyl", None),
    ("correlation_causation", "check_worthy", "Venezuela’s role as a transit point for Colombian cocaine has made it a key "
     "target", "say Venezuela’s role", None),
    ("other", "check_worthy", "Maduro’s government has deepened its partnerships with cartels to maintain political "
     "control and fund military operations", "believe Maduro’s government", None),
    ("prediction", "non_factual", "If authorized, the strikes would mark one of the most aggressive foreign-policy actions "
     "of Trump’s second term", "If authorized", None),
    ("prediction", "non_factual", "It would send a direct message to regimes accused of fueling America’s drug epidemic",
     "It would send a direct", None),
    ("prediction", "non_factual", "This time, there’s no warning shot", "“This time, there’s", None),
    ("other", "non_factual", "The message is clear — stop the poison or face the consequences", "The message is clear", None),
    ("other", "unimportant_factual", "The latest revelation comes a day after Trump met with Chinese President Xi Jinping",
     "The latest revelation", None),
    ("other", "check_worthy", "China is an ally of Venezuela, with both countries sharing a similar government philosophy",
     "China is an ally", None),
]


def locate(text: str, piece: str, context: str) -> tuple[int, int]:
    """Offsets of ``piece`` inside ``context``, which must occur exactly once in ``text``."""
    if text.count(context) != 1:
        raise ValueError(f"context {context!r} occurs {text.count(context)} times")
    start = text.index(context) + (context.index(piece) if piece in context else 0)
    if text[start:start + len(piece)] != piece:
        start = text.index(piece, text.index(context))
    return start, start + len(piece)


def gold_regions(text: str) -> tuple[list[Region], list[Relation]]:
    regions: list[Region] = []
    relations: list[Relation] = []

    def add(region_id: str, layer: str, label: str, piece: str, context: str, **choices) -> Region:
        start, end = locate(text, piece, context)
        region = Region(region_id, layer, label, start, end, piece, choices)
        regions.append(region)
        return region

    mentions = [add(f"e{i:02d}", "entity", label, piece, context) for i, (label, key, piece, context) in enumerate(ENTITIES, 1)]
    for region, (_, key, _, _) in zip(mentions, ENTITIES):
        region.texts["entity_key"] = key
    first_content = {}
    for i, quote in enumerate(QUOTES, 1):
        pieces = [add(f"q{i:02d}c{j}", "quote", "content", piece, context, quote_kind=quote["kind"],
                      speaker_kind=quote["speaker_kind"]) for j, (piece, context) in enumerate(quote["content"], 1)]
        first_content[quote["name"]] = pieces[0]
        for role in ("speaker", "cue"):
            if quote[role]:
                region = add(f"q{i:02d}{role[0]}", "quote", role, *quote[role])
                relations.extend(Relation(region.id, piece.id, f"{role}_of") for piece in pieces)
    for i, (claim_type, worthiness, piece, context, made_in) in enumerate(CLAIMS, 1):
        claim = add(f"c{i:02d}", "claim", "claim", piece, context, claim_type=claim_type, checkworthiness=worthiness)
        if made_in:
            relations.append(Relation(claim.id, first_content[made_in].id, "made_in"))
    return regions, relations


def main() -> int:
    layout = Layout.find()
    ls = client()
    project_id = push(layout, title=PROJECT, ls=ls).project_id
    [task] = [t for t in ls.tasks.list(project=project_id) if t.data["article_id"] == SEED_ID]
    regions, relations = gold_regions(task.data["text"])
    ls.annotations.create(id=task.id, result=to_results(regions, relations, task.data["text"]),
                          ground_truth=True, was_cancelled=False)
    print(pull(layout, title=PROJECT, ls=ls))
    print(convert(layout=layout).summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
