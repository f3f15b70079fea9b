/** Entry point of the float64 Hugging Face reference (see referenceForward.ts for the contract it checks). */
export { referenceForward, type ReferenceOutput } from './referenceForward';
export { compareOutputs, type Comparison } from './compare';
