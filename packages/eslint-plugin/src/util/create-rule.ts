import { DOCS_BASE_URL } from '@picco/core';
import { ESLintUtils } from '@typescript-eslint/utils';

/** What each rule's `meta.docs` says beyond ESLint's own fields. */
export interface PiccoRuleDocs {
  description: string;
  /** In `configs.recommended` and `configs['recommended-type-checked']`. */
  recommended?: boolean;
  /** The rule works without type information; with it, it sees across files. */
  requiresTypeChecking?: boolean;
}

/** Every rule's docs URL is core's `DOCS_BASE_URL` + the rule's name + `.md`. */
export const createRule = ESLintUtils.RuleCreator<PiccoRuleDocs>((name) => `${DOCS_BASE_URL}${name}.md`);
