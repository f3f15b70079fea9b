// Token labels as the tokenizer made them, with the invisible word markers made visible:
// GPT-2/RoBERTa byte-level BPE writes a leading space as 'Ġ' (and newline as 'Ċ'), SentencePiece
// (T5, ALBERT) as '▁'. WordPiece continuations ('##ing') are already visible and stay.

/** The label drawn on an axis: 'Ġthe' → '·the', '▁the' → '·the', 'Ċ' → '↵'. */
export function displayToken(token: string): string {
  return token.replace(/^[Ġ▁]/u, '·').replace(/[Ġ▁]/gu, '·').replace(/Ċ/gu, '↵');
}
