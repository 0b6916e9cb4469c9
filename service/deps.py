"""Dependencies shared by the routers: the settings and the store the app was created with."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from corpus.store import Store
from nianbao.settings import Settings


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> Store:
    return request.app.state.store


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
