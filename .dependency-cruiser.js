/**
 * `npm run lint`: no import cycles in the library (backend/src/session, frontend/src/session,
 * shared), and the server's rooms import one way only (docs/design.md draws it).
 *
 * dependency-cruiser rather than madge: it resolves TypeScript itself (type-only imports included,
 * which madge skips or not depending on its detective's options), reports every cycle as a rule
 * violation with a non-zero exit code, is actively maintained, and the same rules file also holds
 * the rooms' direction, which madge cannot express.
 */
module.exports = {
    forbidden: [
        {
            name: 'no-circular',
            severity: 'error',
            comment: 'An import cycle: the rooms must import one way (plugin -> carriers/connections/handler -> core -> stores).',
            from: {},
            to: { circular: true },
        },
        {
            name: 'core-imports-down',
            severity: 'error',
            comment: 'core/ is below carriers/, connections/, handler/ and plugin/ flows: it must not import them.',
            from: { path: '^backend/src/session/core/' },
            to: { path: '^backend/src/session/(carriers|connections|handler)/' },
        },
    ],
    options: {
        doNotFollow: { path: 'node_modules' },
        tsPreCompilationDeps: true,
        tsConfig: { fileName: 'tsconfig.json' },
    },
};
