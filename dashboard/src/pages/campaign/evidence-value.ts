// One named quantity out of a claim's evidence, as a number or as words.
import type { Evidence } from './evidence-list.tsx';

export const evidenceNumber = (evidence: readonly Evidence[], name: string): number | null => evidence.find((item) => item.name === name)?.value ?? null;

export const evidenceText = (evidence: readonly Evidence[], name: string): string | null => evidence.find((item) => item.name === name)?.text ?? null;
