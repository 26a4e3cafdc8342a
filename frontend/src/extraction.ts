// The server's reading of an article (`extractFromText`): the dates it found, resolved against the
// publication date, and the events it proposes, with the names matched to known actors. Nothing is
// stored by asking; the review screen (screens/from-article.ts) creates what the editor accepts.

import { gql, type FuzzyDate } from './api';

export interface FoundDate {
  /** Code point offsets into the text (end exclusive). */
  start: number;
  end: number;
  text: string;
  value: string | null;
  precision: string | null;
  reference: 'PAST' | 'PRESENT' | 'FUTURE' | null;
  trailer: boolean;
  date: Pick<FuzzyDate, 'value' | 'precision' | 'description'> | null;
}

export interface Mention {
  name: string;
  start: number;
  end: number;
  /** The known actor; null for a name proposed as a new one. */
  actor: { id: string; name: string; kind: string } | null;
}

export interface Candidate {
  title: string;
  kind: string;
  date: string | null;
  precision: string | null;
  dateInherited: boolean;
  when: Pick<FuzzyDate, 'value' | 'precision' | 'description'> | null;
  actors: Mention[];
  quote: string;
  quoteStart: number;
  quoteEnd: number;
  confidence: number;
  /** From the scraped page's trailer, not the article. */
  trailer: boolean;
}

export interface Extraction {
  published: string;
  dates: FoundDate[];
  events: Candidate[];
}

export interface ExtractInput {
  text: string;
  published: string | null;
  timeZone: string | null;
  sourceId: string | null;
}

const WHEN = 'value precision description';

/** Reads an article; VALIDATION errors name `input.text`, `input.published`, `input.timeZone` or `input.sourceId`. */
export async function extractFromText(input: ExtractInput): Promise<Extraction> {
  const data = await gql<{ extractFromText: Extraction }>(
    `query Extract($input: ExtractFromTextInput!) { extractFromText(input: $input) {
      published
      dates(first: 500) { start end text value precision reference trailer date { ${WHEN} } }
      events(first: 500) { title kind date precision dateInherited when { ${WHEN} } quote quoteStart quoteEnd confidence trailer
        actors { name start end actor { id name kind } } } } }`,
    { input },
  );
  return data.extractFromText;
}
