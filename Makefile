# Installs metaxy-tui: the binary, its themes, shell completions and a man page.
#   make install PREFIX=$HOME/.local      (default PREFIX: /usr/local)
PREFIX ?= /usr/local
BIN := .build/release/metaxy-tui
MAN := .build/plugins/GenerateManual/outputs/metaxy-tui/metaxy-tui.1
COMPLETIONS := .build/completions

.PHONY: build install
build:
	swift build -c release --product metaxy-tui

$(MAN): build
	swift package --allow-writing-to-package-directory generate-manual

install: build $(MAN)
	mkdir -p $(COMPLETIONS)
	$(BIN) --generate-completion-script bash > $(COMPLETIONS)/metaxy-tui.bash
	$(BIN) --generate-completion-script zsh > $(COMPLETIONS)/_metaxy-tui
	$(BIN) --generate-completion-script fish > $(COMPLETIONS)/metaxy-tui.fish
	install -d $(PREFIX)/bin $(PREFIX)/share/metaxy-tui/themes $(PREFIX)/share/man/man1 \
		$(PREFIX)/share/bash-completion/completions $(PREFIX)/share/zsh/site-functions $(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(BIN) $(PREFIX)/bin/metaxy-tui
	install -m 644 Themes/*.yaml $(PREFIX)/share/metaxy-tui/themes/
	install -m 644 $(MAN) $(PREFIX)/share/man/man1/metaxy-tui.1
	install -m 644 $(COMPLETIONS)/metaxy-tui.bash $(PREFIX)/share/bash-completion/completions/metaxy-tui
	install -m 644 $(COMPLETIONS)/_metaxy-tui $(PREFIX)/share/zsh/site-functions/_metaxy-tui
	install -m 644 $(COMPLETIONS)/metaxy-tui.fish $(PREFIX)/share/fish/vendor_completions.d/metaxy-tui.fish
