/**
 * The bag-of-words baseline every transfer result should beat: TF-IDF unigrams + bigrams and a
 * multinomial logistic regression, trained on a run's training examples and scored on its
 * validation examples with the same metrics as a fine-tuning run.
 */
import { accuracy, macroF1 } from '../training/classificationMetrics';
import { exampleOf, type RunData } from '../finetune/runData';
import { DEFAULT_LOGISTIC_REGRESSION_CONFIG, predictClass, trainLogisticRegression, type LogisticRegressionConfig } from './logisticRegression';
import { DEFAULT_TFIDF_CONFIG, TfidfVectorizer, type TfidfConfig } from './tfidf';

export interface LabelledTexts {
  readonly texts: readonly string[];
  /** Class ids in [0, numClasses). */
  readonly labels: readonly number[];
}

export interface BaselineResult {
  readonly valAccuracy: number;
  readonly valMacroF1: number;
  /** Fitting the vocabulary, vectorising the training texts and training the classifier, in seconds. */
  readonly trainSeconds: number;
  /** Size of the fitted vocabulary (features). */
  readonly features: number;
  readonly trainExamples: number;
  readonly valExamples: number;
}

export interface BaselineOptions {
  readonly tfidf?: TfidfConfig;
  readonly classifier?: LogisticRegressionConfig;
}

/** Trains on `train`, scores on `val`; deterministic for the same inputs. */
export function tfidfBaseline(train: LabelledTexts, val: LabelledTexts, numClasses: number, opts: BaselineOptions = {}): BaselineResult {
  const started = performance.now();
  const vectorizer = TfidfVectorizer.fit(train.texts, opts.tfidf ?? DEFAULT_TFIDF_CONFIG);
  const rows = train.texts.map((t) => vectorizer.transform(t));
  const { model } = trainLogisticRegression(rows, train.labels, vectorizer.size, numClasses, opts.classifier ?? DEFAULT_LOGISTIC_REGRESSION_CONFIG);
  const trainSeconds = (performance.now() - started) / 1000;
  const predicted = val.texts.map((t) => predictClass(model, vectorizer.transform(t)));
  return {
    valAccuracy: accuracy(predicted, val.labels),
    valMacroF1: macroF1(predicted, val.labels, numClasses),
    trainSeconds,
    features: vectorizer.size,
    trainExamples: train.texts.length,
    valExamples: val.texts.length,
  };
}

/** The baseline on exactly the examples a fine-tuning run with the same configuration trains and validates on. */
export function baselineOnRunData(data: RunData, opts: BaselineOptions = {}): BaselineResult {
  const pick = (refs: RunData['train']): LabelledTexts => {
    const examples = refs.map((r) => exampleOf(data, r));
    return { texts: examples.map((e) => e.text), labels: examples.map((e) => e.label) };
  };
  return tfidfBaseline(pick(data.train), pick(data.val), data.labelNames.length, opts);
}
