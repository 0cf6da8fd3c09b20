// Lint rules: typescript-eslint's recommended type-aware set over all TypeScript sources, and no Node
// imports in the browser-safe part of shared/.
import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

/** Node's built-in modules without the node: prefix (fs, crypto, …), refused in browser-safe shared/. */
const NODE_BUILTINS = builtinModules.filter((name) => !name.startsWith('_'));
const NODE_ONLY = 'Browser-safe shared code: Node-only code goes in shared/node/.';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'var/**', 'test-artifacts/**', '.lab/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['extension/**/*.tsx', 'extension/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'The extension never injects HTML (the build turns it into text anyway).',
        },
      ],
    },
  },
  {
    // shared/ outside shared/node is the browser-safe contract code the extension bundles too.
    files: ['shared/**/*.ts'],
    ignores: ['shared/node/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS.map((name) => ({ name, message: NODE_ONLY })),
          patterns: [
            { group: ['node:*'], message: NODE_ONLY },
            {
              group: ['**/node/*', '**/node/**'],
              message: 'Browser-safe shared code must not use shared/node/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        Buffer: 'readonly',
      },
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { __dirname: 'readonly', __filename: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
