/** The config.json and tokenizer_config.json written next to a saved model. */
import type { TransformerModel } from '../models/transformerModel';
import type { TextTokenizer } from '../tokenizers/textTokenizer';

/** The config as read (or preset), with architectures and labels brought up to date. */
export function hfConfigForSave(model: TransformerModel): Record<string, unknown> {
  const c = model.config;
  const json: Record<string, unknown> = { ...c.hfConfig };
  const arch = model.definition.architectures[c.head];
  if (arch !== undefined) json['architectures'] = [arch];
  if (c.labels.length > 0) {
    json['id2label'] = Object.fromEntries(c.labels.map((l, i) => [String(i), l]));
    json['label2id'] = Object.fromEntries(c.labels.map((l, i) => [l, i]));
    if (c.head === 'sequence-classification') json['problem_type'] = 'single_label_classification';
  } else {
    delete json['id2label'];
    delete json['label2id'];
  }
  json['torch_dtype'] = 'float32';
  return json;
}

const TOKENIZER_CLASS: Record<string, string> = {
  bert: 'BertTokenizerFast', roberta: 'RobertaTokenizerFast', distilbert: 'DistilBertTokenizerFast',
  albert: 'AlbertTokenizerFast', gpt2: 'GPT2TokenizerFast', t5: 'T5TokenizerFast',
};

export function tokenizerConfigFor(model: TransformerModel, tokenizer: TextTokenizer, maxLength: number): Record<string, unknown> {
  const json: Record<string, unknown> = { tokenizer_class: TOKENIZER_CLASS[model.family] ?? 'PreTrainedTokenizerFast', model_max_length: maxLength };
  const name = (id: number | null | undefined): string | undefined => (id === null || id === undefined ? undefined : tokenizer.idToToken(id));
  const special: Record<string, number | null | undefined> = {
    pad_token: tokenizer.padId, unk_token: tokenizer.unkId, cls_token: tokenizer.clsId, sep_token: tokenizer.sepId, mask_token: tokenizer.maskId,
  };
  for (const [key, id] of Object.entries(special)) {
    const token = name(id);
    if (token !== undefined) json[key] = token;
  }
  return json;
}
