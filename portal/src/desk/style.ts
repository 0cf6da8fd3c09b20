/** The desk's one style sheet (served at DESK_PATHS.style; the CSP allows styles from 'self' only). */
export const DESK_CSS = `
:root { font-family: "Noto Sans TC", "Microsoft JhengHei", "PingFang TC", sans-serif; color: #1b1b1b; background: #fff; line-height: 1.6; }
body { margin: 0 auto; max-width: 56rem; padding: 0 1rem 2rem; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; outline: 3px solid #0b5cad; }
header { border-bottom: 2px solid #0b5cad; margin-bottom: 1rem; }
.site { font-weight: bold; font-size: 1.2rem; margin: .5rem 0; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; }
a { color: #0b5cad; }
a:focus, button:focus, input:focus { outline: 3px solid #f0a500; outline-offset: 2px; }
a[aria-current="page"] { font-weight: bold; }
form.inline { display: inline; }
.field { margin: 1rem 0; }
.field label, legend { display: block; font-weight: bold; }
input[type="text"], input[type="email"], input[type="password"] { font-size: 1rem; padding: .4rem; width: 100%; max-width: 24rem; border: 1px solid #555; }
.hint { margin: .1rem 0; color: #444; font-size: .9rem; }
.error { margin: .1rem 0; color: #b00020; font-weight: bold; }
.invalid input { border: 2px solid #b00020; }
.error-summary { border: 3px solid #b00020; padding: .5rem 1rem; margin: 1rem 0; }
.notice { border-left: 6px solid #0b5cad; background: #eef4fb; padding: .5rem 1rem; }
button { font-size: 1rem; padding: .5rem 1.2rem; background: #0b5cad; color: #fff; border: 0; cursor: pointer; }
nav button { padding: 0; background: none; color: #0b5cad; text-decoration: underline; }
fieldset { border: 1px solid #999; margin: 1rem 0; }
.captcha-image svg { border: 1px solid #999; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: .3rem .5rem; text-align: left; vertical-align: top; }
footer { margin-top: 2rem; color: #444; font-size: .9rem; }
`;
